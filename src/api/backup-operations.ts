// The backup and point-in-time recovery operations, as entries of the dispatch table
// (spread into createOperations in operations.ts).
import type { Database } from '../engine/database.js';
import type { OperationHandler } from '../server/http-server.js';
import { createBackup, deleteBackup, describeBackup, listBackups, restoreTableFromBackup } from './backups.js';
import { describeContinuousBackups, restoreTableToPointInTime, updateContinuousBackups } from './continuous-backups.js';

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
  };
}
