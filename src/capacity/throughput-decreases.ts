// Provisioned throughput increases and decreases of a table and of each GSI, and DynamoDB's
// decrease rule: four decreases at any time in a UTC day, then one more each hour after the
// last one; the count restarts at 00:00 UTC (developer guide, "Service quotas"; observed:
// the hour counts from the last accepted decrease, not the top of the hour, refused attempts
// change nothing, and RCU and WCU lowered in one call are one decrease). Each GSI has a budget
// of its own. Times are seconds since the epoch, as DescribeTable reports them.
import { DynamoError } from '../model/errors.js';
import type { ProvisionedThroughput } from '../engine/table-spec.js';
import { decreaseIntervalSeconds, decreasesAnytimePerDay } from './capacity-limits.js';

export interface ThroughputHistory {
  lastIncreaseAt?: number;
  lastDecreaseAt?: number;
  /** Decreases in the UTC day `decreasesDay`. */
  decreasesToday: number;
  /** The UTC day (days since the epoch) decreasesToday counts; absent in records older than it. */
  decreasesDay?: number;
  /** Each GSI's own history, by index name. */
  indexes?: Record<string, ThroughputHistory>;
}

const secondsPerDay = 86_400;

function utcDay(seconds: number): number {
  return Math.floor(seconds / secondsPerDay);
}

/** Decreases counted for the UTC day of `nowSeconds` (0 once that day has turned). */
export function decreasesToday(history: ThroughputHistory, nowSeconds: number): number {
  const day = history.decreasesDay ?? (history.lastDecreaseAt === undefined ? undefined : utcDay(history.lastDecreaseAt));
  return day === utcDay(nowSeconds) ? history.decreasesToday : 0;
}

/** The ProvisionedThroughput member of a TableDescription (or GSI description) at `nowSeconds`. */
export function describeProvisionedThroughput(history: ThroughputHistory | undefined, throughput: ProvisionedThroughput | undefined, nowSeconds: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (history?.lastIncreaseAt !== undefined) out.LastIncreaseDateTime = history.lastIncreaseAt;
  if (history?.lastDecreaseAt !== undefined) out.LastDecreaseDateTime = history.lastDecreaseAt;
  out.NumberOfDecreasesToday = history === undefined ? 0 : decreasesToday(history, nowSeconds);
  out.ReadCapacityUnits = throughput?.ReadCapacityUnits ?? 0;
  out.WriteCapacityUnits = throughput?.WriteCapacityUnits ?? 0;
  return out;
}

function isIncrease(current: ProvisionedThroughput, next: ProvisionedThroughput): boolean {
  return next.ReadCapacityUnits > current.ReadCapacityUnits || next.WriteCapacityUnits > current.WriteCapacityUnits;
}

function isDecrease(current: ProvisionedThroughput, next: ProvisionedThroughput): boolean {
  return next.ReadCapacityUnits < current.ReadCapacityUnits || next.WriteCapacityUnits < current.WriteCapacityUnits;
}

/** Refuses a change that lowers throughput when the day's budget is spent. */
export function checkThroughputChange(history: ThroughputHistory, current: ProvisionedThroughput | undefined, next: ProvisionedThroughput | undefined, nowSeconds: number): void {
  if (current === undefined || next === undefined || !isDecrease(current, next)) return;
  const count = decreasesToday(history, nowSeconds);
  if (count < decreasesAnytimePerDay) return;
  const lastAt = history.lastDecreaseAt ?? nowSeconds;
  if (nowSeconds >= lastAt + decreaseIntervalSeconds) return;
  const nextAt = Math.min(lastAt + decreaseIntervalSeconds, (utcDay(nowSeconds) + 1) * secondsPerDay);
  throw new DynamoError('LimitExceededException', decreaseLimitMessage(count, lastAt, nextAt));
}

/** Records a change: an increase and a decrease in one call (RCU up, WCU down) stamp both. */
export function recordThroughputChange(history: ThroughputHistory, current: ProvisionedThroughput | undefined, next: ProvisionedThroughput | undefined, nowSeconds: number): void {
  if (current === undefined || next === undefined) return;
  if (isIncrease(current, next)) history.lastIncreaseAt = nowSeconds;
  if (isDecrease(current, next)) {
    history.decreasesToday = decreasesToday(history, nowSeconds) + 1;
    history.decreasesDay = utcDay(nowSeconds);
    history.lastDecreaseAt = nowSeconds;
  }
}

// Verified (2023, 2026 field reports): "Subscriber limit exceeded: Provisioned throughput
// decreases are limited within a given UTC day. After the first 4 decreases, each subsequent
// decrease in the same UTC day can be performed at most once every 3600 seconds. Number of
// decreases today: 4. Last decrease at Friday, October 9, 2026 at 12:21:34 AM Coordinated
// Universal Time. Next decrease can be made at Friday, October 9, 2026 at 1:21:34 AM
// Coordinated Universal Time" (no final full stop).
export function decreaseLimitMessage(count: number, lastAt: number, nextAt: number): string {
  return (
    'Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. ' +
    `After the first ${decreasesAnytimePerDay} decreases, each subsequent decrease in the same UTC day can be performed at most once every ${decreaseIntervalSeconds} seconds. ` +
    `Number of decreases today: ${count}. Last decrease at ${formatUtc(lastAt)}. Next decrease can be made at ${formatUtc(nextAt)}`
  );
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Java's full date-time style in English for UTC: "Friday, October 9, 2026 at 1:21:34 AM Coordinated Universal Time". */
export function formatUtc(seconds: number): string {
  const date = new Date(Math.floor(seconds) * 1000);
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${weekdays[date.getUTCDay()]}, ${months[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} at ` +
    `${hour12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'} Coordinated Universal Time`
  );
}

/**
 * Checks, then records, the throughput changes of an UpdateTable: the table's and each GSI's
 * (a GSI's budget is its own). Nothing is recorded when any change is refused.
 */
export function applyThroughputChanges(
  history: ThroughputHistory,
  current: { ProvisionedThroughput?: ProvisionedThroughput; GlobalSecondaryIndexes: { IndexName: string; ProvisionedThroughput?: ProvisionedThroughput }[] },
  next: typeof current,
  nowSeconds: number,
): void {
  const pairs: [ThroughputHistory, ProvisionedThroughput | undefined, ProvisionedThroughput | undefined][] = [
    [history, current.ProvisionedThroughput, next.ProvisionedThroughput],
  ];
  const indexes: Record<string, ThroughputHistory> = {};
  for (const index of next.GlobalSecondaryIndexes) {
    const indexHistory = history.indexes?.[index.IndexName] ?? { decreasesToday: 0 };
    indexes[index.IndexName] = indexHistory;
    const before = current.GlobalSecondaryIndexes.find((existing) => existing.IndexName === index.IndexName);
    pairs.push([indexHistory, before?.ProvisionedThroughput, index.ProvisionedThroughput]);
  }
  for (const [entry, before, after] of pairs) checkThroughputChange(entry, before, after, nowSeconds);
  for (const [entry, before, after] of pairs) recordThroughputChange(entry, before, after, nowSeconds);
  // Deleted GSIs take their history with them.
  if (next.GlobalSecondaryIndexes.length > 0) history.indexes = indexes;
  else delete history.indexes;
}
