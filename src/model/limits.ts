// Every DynamoDB limit, as a named constant with where it comes from.
// Derived limits are computed from base ones; relations are checked at load.

/** Maximum item size, attribute names plus values (DynamoDB developer guide, "Service quotas"). */
export const itemBytesMax = 400 * 1024;
/** Partition key value length (bytes of UTF-8 / binary). */
export const partitionKeyBytesMax = 2048;
/** Sort key value length. */
export const sortKeyBytesMax = 1024;
/** Maximum depth of nested documents (M / L). */
export const nestingDepthMax = 32;
/** Maximum length of any expression string. */
export const expressionBytesMax = 4 * 1024;
/** Operators and functions in one expression ("The expression contains too many operators; operator count: 301"). */
export const expressionOperatorsMax = 300;
/** Table and index names: 3 to 255 characters of [a-zA-Z0-9_.-]. */
export const tableNameLengthMin = 3;
export const tableNameLengthMax = 255;
export const indexNameLengthMin = 3;
export const indexNameLengthMax = 255;
/** Attribute names: 1 to 65535 bytes ("Attribute name is too large, must be less than 65536 bytes"); key attribute names at most 255 bytes. */
export const attributeNameBytesMax = 65535;
export const keyAttributeNameBytesMax = 255;
/** Secondary index counts per table. */
export const localIndexesPerTableMax = 5;
export const globalIndexesPerTableMax = 20;
/** Non-key attributes projected into all of a table's secondary indexes together. */
export const projectedAttributesMax = 100;
/** Tables per account per region (default quota). */
export const tablesPerAccountMax = 2500;
/** Tags per resource; key 1-128, value 0-256 characters. */
export const tagsPerResourceMax = 50;
export const tagKeyLengthMax = 128;
export const tagValueLengthMax = 256;
/** Numbers: 38 significant digits, magnitude 1E-130 .. 9.99...E+125. */
export const numberPrecisionDigitsMax = 38;
export const numberExponentMax = 125; // largest exponent of the leading digit
export const numberExponentMin = -130; // smallest exponent of the leading digit
/** Request body accepted by the HTTP front end (DynamoDB rejects bodies over 16 MB). */
export const requestBodyBytesMax = 16 * 1024 * 1024;
/** Query/Scan page: data read before filtering (1 MB). */
export const pageBytesMax = 1024 * 1024;
/** Batches and transactions. */
export const batchGetKeysMax = 100;
export const batchWriteRequestsMax = 25;
export const transactItemsMax = 100;
export const transactRequestBytesMax = 4 * 1024 * 1024;
export const batchGetResponseBytesMax = 16 * 1024 * 1024;
/** Capacity unit sizes. */
export const readUnitBytes = 4 * 1024;
export const writeUnitBytes = 1024;
/** ListTables page size. */
export const listTablesLimitMax = 100;
/** SigV4: allowed clock skew between client and server. */
export const signatureSkewMsMax = 15 * 60 * 1000;
/** LMDB page size we open with; it sets the maximum key size (4026 bytes at 8 KB pages). */
export const storagePageBytes = 8192;
export const storageKeyBytesMax = 4026;
/** Control-plane shapes (added by the table/tag validators). */
/** A table or LSI key schema holds a partition key and at most one sort key ("Member must have length less than or equal to 2"). */
export const keySchemaElementsMax = 2;
/** A GSI key may have up to 4 HASH and up to 4 RANGE attributes (multi-attribute keys, DynamoDB November 2025). */
export const indexHashElementsMax = 4;
export const indexRangeElementsMax = 4;
export const globalIndexKeySchemaElementsMax = indexHashElementsMax + indexRangeElementsMax;
/** Key attribute names in KeySchema / AttributeDefinitions: 1 to 255 characters (botocore shape KeySchemaAttributeName). */
export const keyAttributeNameLengthMin = 1;
/** NonKeyAttributes of one index: 1 to 20 names (botocore shape NonKeyAttributeNameList). */
export const nonKeyAttributesPerIndexMax = 20;
/** Each NonKeyAttributes name: 1 to 255 characters (botocore shape NonKeyAttributeName). */
export const nonKeyAttributeNameLengthMax = 255;
/** ProvisionedThroughput units are at least 1 (botocore shape PositiveLongObject). */
export const capacityUnitsMin = 1;
/** Largest capacity value accepted before DynamoDB's "Given value N ... is out of bounds" (dynalite's tests, recorded against DynamoDB). */
export const capacityUnitsMax = 1_000_000_000_000;
/** DynamoDB lists at most this many constraint failures in one "N validation errors detected" message (observed: 27 failures reported as 10). */
export const validationErrorsListedMax = 10;
/** Tag keys are at least 1 character (botocore shape TagKeyString). */
export const tagKeyLengthMin = 1;
/** TableArn / ResourceArn string lengths (botocore shapes TableArn 1..1024, ResourceArnString 1..1283). */
export const tableArnLengthMax = 1024;
export const resourceArnLengthMax = 1283;
/** Online index builds: one GSI create or delete at a time per table ("Only 1 online index can be created or deleted simultaneously per table"). */
export const onlineIndexChangesMax = 1;
/** Parallel scan: TotalSegments is 1..1,000,000. */
export const totalSegmentsMax = 1_000_000;
/** TransactWriteItems ClientRequestToken: a token is remembered for 10 minutes. */
export const idempotencyWindowMs = 10 * 60 * 1000;
/** Expired idempotency tokens purged per recorded transaction (bounds the work per write). */
export const expiredTokensPurgedPerWriteMax = 16;
/** Backups and point-in-time recovery (botocore shapes BackupName 3..255, BackupArn 37..1024, BackupsInputLimit 1..100, RecoveryPeriodInDays 1..35). */
export const backupNameLengthMin = 3;
export const backupNameLengthMax = 255;
export const backupArnLengthMin = 37;
export const backupArnLengthMax = 1024;
export const listBackupsLimitMax = 100;
export const recoveryPeriodDaysMin = 1;
export const recoveryPeriodDaysMax = 35;
/** Change-log records deleted per pruning transaction, so pruning never holds the writer for long. */
export const changeLogPruneBatchMax = 1000;
/** Items copied per transaction by backups and restores. */
export const backupCopyBatchItemsMax = 500;
/** An item collection (one partition key value, table items plus LSI entries) of a table with LSIs. */
export const itemCollectionBytesMax = 10 * 1024 * 1024 * 1024;
/** Warm throughput every table has at least (units per second; CreateTable/UpdateTable may raise it). */
export const warmReadUnitsPerSecondMin = 12000;
export const warmWriteUnitsPerSecondMin = 4000;
/** PartiQL statement text: 1 to 8,192 characters (botocore shape PartiQLStatement). */
export const partiqlStatementLengthMax = 8192;
/** PartiQL NextToken: 1 to 32,768 characters (botocore shape PartiQLNextToken). */
export const partiqlNextTokenLengthMax = 32768;
/** BatchExecuteStatement: 1 to 25 statements (botocore shape PartiQLBatchRequest). */
export const batchStatementsMax = 25;
/** ExecuteTransaction: 1 to 100 statements (botocore shape ParameterizedStatements). */
export const transactStatementsMax = transactItemsMax;
/** A PartiQL SELECT's IN list on the partition key: at most 50 values, each one Query (developer guide, "PartiQL operators"). */
export const partiqlPartitionValuesMax = 50;
