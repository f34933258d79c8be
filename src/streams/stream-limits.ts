// DynamoDB Streams' limits, each with where the number comes from. They live beside the
// subsystem (as capacity/ and backup/ keep theirs), since nothing else uses them.

const minuteMs = 60 * 1000;

/** Stream records stay readable for 24 hours (also after the stream is disabled or its table deleted). */
export const streamRetentionMs = 24 * 60 * minuteMs;

/** "A shard iterator expires 15 minutes after it is returned to the requester" (GetShardIterator). */
export const shardIteratorLifetimeMs = 15 * minuteMs;

/** GetRecords Limit: "The upper limit is 1000." */
export const getRecordsLimitMax = 1000;

/** "GetRecords can retrieve a maximum of 1 MB of data or 1000 stream records, whichever comes first." */
export const getRecordsBytesMax = 1024 * 1024;

/**
 * Change-log records one GetRecords call may look at. Records of writes that changed nothing
 * are skipped, so a page can need more than Limit of them; past this bound the call answers
 * with what it has and a NextShardIterator, as DynamoDB may answer an empty page.
 */
export const getRecordsScannedMax = 10 * getRecordsLimitMax;

/** ListStreams Limit: "The upper limit is 100." (101 is a ValidationException). */
export const listStreamsLimitMax = 100;

/** DescribeStream Limit: "The upper limit is 100." */
export const describeStreamLimitMax = 100;

// Member lengths from the service model (botocore dynamodbstreams 2012-08-10).
export const streamArnLengthMin = 37;
export const streamArnLengthMax = 1024;
export const shardIdLengthMin = 28;
export const shardIdLengthMax = 65;
export const sequenceNumberLengthMin = 21;
export const sequenceNumberLengthMax = 40;
export const shardIteratorLengthMin = 1;
export const shardIteratorLengthMax = 2048;
