// The bounds of restores, exports and imports, each with where it comes from. (Kept beside the
// code that uses them; candidates for src/model/limits.ts.)

/**
 * Restores running at once per account, of either kind (RestoreTableFromBackup and
 * RestoreTableToPointInTime API reference: "up to 50 concurrent restores (any type of restore)").
 */
export const restoresInProgressMax = 50;
/** Exports running at once per account (DynamoDB service quotas: up to 300 concurrent export tasks). */
export const exportsInProgressMax = 300;
/** Imports running at once per account (LimitExceededException in the API reference: "up to 50 simultaneous import table operations"). */
export const importsInProgressMax = 50;
/** Source objects one import may read (DynamoDB import quota: 50,000 S3 objects per import). */
export const importObjectsMax = 50_000;
/** ListExports MaxResults and ListImports PageSize: 1..25 (botocore model). */
export const listExportsPageMax = 25;
export const listImportsPageMax = 25;
/** An incremental export's window: 15 minutes to 24 hours (DynamoDB developer guide). */
export const incrementalWindowMsMin = 15 * 60 * 1000;
export const incrementalWindowMsMax = 24 * 60 * 60 * 1000;
/** A ClientToken names the same job for 8 hours (ExportTableToPointInTime / ImportTable API reference). */
export const clientTokenLifetimeMs = 8 * 60 * 60 * 1000;
/** How long a SYSTEM backup (left by deleting a table with PITR) is kept (developer guide: 35 days). */
export const systemBackupRetentionMs = 35 * 24 * 60 * 60 * 1000;
/** Uncompressed bytes per export data file before a new file starts (our choice; bounds memory per file). */
export const exportFileBytesMax = 32 * 1024 * 1024;
/** Items written per storage transaction while importing (our choice; keeps the writer free between batches). */
export const importBatchItemsMax = 500;
/** Item bytes written per storage transaction while importing (our choice: 500 large items would hold 200 MB). */
export const importBatchBytesMax = 4 * 1024 * 1024;
/**
 * Bytes of one source record (a JSON line, an Ion value, a CSV row) held while reading it (our
 * choice). Far above what any item of 400 KB needs in any of the formats, so a longer record is
 * an oversized item; memory per import stays bounded whatever the object size.
 */
export const importRecordBytesMax = 16 * 1024 * 1024;
/**
 * Compressed bytes handed to the ZSTD decoder at a time: it decodes each push whole, and a ZSTD
 * block of 3 bytes can expand to 128 KB, so small pushes bound what one push can produce (our choice).
 */
export const zstdPushBytesMax = 512;
/** Errors an import keeps in its record (the rest are only counted in ErrorCount). */
export const importErrorLogMax = 100;
