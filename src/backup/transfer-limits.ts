// The bounds of exports and imports, each with where it comes from. (Kept beside the code that
// uses them; candidates for src/model/limits.ts once that file is free to edit.)

/** Exports running at once per account (DynamoDB service quota: 300 concurrent exports). */
export const exportsInProgressMax = 300;
/** Imports running at once per account (DynamoDB import quota: 50 concurrent imports). */
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
/** Uncompressed bytes per export data file before a new file starts (our choice; bounds memory per file). */
export const exportFileBytesMax = 32 * 1024 * 1024;
/** Items written per storage transaction while importing (our choice; keeps the writer free between batches). */
export const importBatchItemsMax = 500;
/** Errors an import keeps in its record (the rest are only counted in ErrorCount). */
export const importErrorLogMax = 100;
/** Decompressed bytes of one import source object held in memory (our choice; larger objects fail the import). */
export const importObjectBytesMax = 1024 * 1024 * 1024;
