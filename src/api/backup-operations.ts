// The backup, point-in-time recovery, export and import operations, as entries of the dispatch table
// (spread into createOperations in operations.ts).
import type { Database } from '../engine/database.js';
import type { OperationHandler } from '../server/http-server.js';
import { createBackup, deleteBackup, describeBackup, listBackups, restoreTableFromBackup } from './backups.js';
import { describeContinuousBackups, restoreTableToPointInTime, updateContinuousBackups } from './continuous-backups.js';
import { describeExport, exportTableToPointInTime, listExports } from './exports.js';
import { describeImport, importTable, listImports } from './imports.js';

export function backupOperations(db: Database): Record<string, OperationHandler> {
  return {
    CreateBackup: (input) => createBackup(input, db),
    DescribeBackup: (input) => describeBackup(input, db),
    ListBackups: (input) => listBackups(input, db),
    DeleteBackup: (input) => deleteBackup(input, db),
    RestoreTableFromBackup: (input) => restoreTableFromBackup(input, db),
    UpdateContinuousBackups: (input) => updateContinuousBackups(input, db),
    DescribeContinuousBackups: (input) => describeContinuousBackups(input, db),
    RestoreTableToPointInTime: (input) => restoreTableToPointInTime(input, db),
    ExportTableToPointInTime: (input) => exportTableToPointInTime(input, db),
    DescribeExport: (input) => describeExport(input, db),
    ListExports: (input) => listExports(input, db),
    ImportTable: (input) => importTable(input, db),
    DescribeImport: (input) => describeImport(input, db),
    ListImports: (input) => listImports(input, db),
  };
}
