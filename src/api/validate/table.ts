// CreateTable and UpdateTable validation, in DynamoDB's order of checks and with its texts.
// Pass 1 (shape, table-shapes.ts) lists every member-constraint failure in one message; pass 2
// (rules) stops at the first broken rule. Both are pure: the current TableSpec comes in, the
// new one goes out; the engine does the I/O, the backfill and the status changes.
export { checkCreateTable } from './create-table.js';
export { checkUpdateTable } from './update-table.js';
