// On-demand tables through the real SDK on a manual clock: a new table serves 4,000 WRU a
// second (with its partitions' two seconds of headroom), and twice its previous peak once that
// peak is 30 minutes old (a ramp: 2x the peak is fine, more is throttled, later it is fine); a
// burst of 1.2 MB to one key of a new table is accepted (as DynamoDB accepts ScyllaDB's
// test_batch_write_item_large); and without the onDemandInstantThroughput switch (the default)
// on-demand bursts are absorbed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BatchWriteItemCommand, PutItemCommand, UpdateItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { errorOf } from '../support/errors.js';
import { ManualClock } from '../support/clock.js';
import { capacityTrackerOf, keyPosition } from '../../src/capacity/index.js';
import {
  createCapacityTable, onDemandMessage, putAll, sizedItem, startCapacityServer, type CapacityServer, type Throttled,
} from './support.js';

const clock = new ManualClock(Date.UTC(2026, 4, 1));
let t: CapacityServer;

before(async () => {
  t = await startCapacityServer({ clock, capacity: { onDemandInstantThroughput: true } });
});
after(() => t.close());

/**
 * 80 keys, five in each sixteenth of the hash space, taken in bit-reversed slice order: every
 * prefix of 4n keys is even over 4 partitions (8n over 8, 16n over 16).
 */
const evenKeys = (() => {
  const perSlice: string[][] = Array.from({ length: 16 }, () => []);
  for (let i = 0; perSlice.some((keys) => keys.length < 5); i++) {
    const key = `user-${i}`;
    const keys = perSlice[Math.floor((keyPosition('S' + key) * 16) / 2 ** 32)]!;
    if (keys.length < 5) keys.push(key);
  }
  const order = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
  return Array.from({ length: 80 }, (_, i) => perSlice[order[i % 16]!]![Math.floor(i / 16)]!);
})();

const minute = 60_000;

test('on-demand ramp: 4,000 WRU/s at first, twice the previous peak once it is 30 minutes old, more is throttled', async () => {
  const { name, arn } = await createCapacityTable(t.client, 'cap_od_ramp');
  const tracker = capacityTrackerOf(t.tabula.database)!;
  const start = clock.now();
  const at = (ms: number) => clock.advance(start + ms - clock.now());
  // Touching an item of just under 100 KB costs 100 WCU: a small request, a large charge.
  const touch = (key: string) =>
    t.client.send(new UpdateItemCommand({ TableName: name, Key: { pk: { S: key } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }));
  /** Touches the keys round-robin until one is throttled; answers how many went through. */
  const touchUntilThrottled = async (limit: number): Promise<number> => {
    for (let n = 0; n < limit; n++) {
      const error = await touch(evenKeys[n % evenKeys.length]!).then(() => undefined, (caught: Throttled) => caught);
      if (error === undefined) continue;
      assert.equal(error.name, 'ThrottlingException');
      assert.equal(error.message, onDemandMessage);
      assert.deepEqual(error.throttlingReasons, [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: arn }]);
      return n;
    }
    return limit;
  };
  assert.equal(tracker.partitionCount(name), 4);
  // A new table takes 8,000 WCU at once (two seconds of 4,000 WRU: its partitions' headroom) ...
  await putAll(t.client, name, evenKeys.map((key) => sizedItem(key, 100 * 1024)));
  assert.equal(await touchUntilThrottled(1), 0);
  // ... then 4,000 a second.
  at(1000);
  assert.equal(await touchUntilThrottled(100), 40);
  // Ten minutes on, the 8,000 WCU second is not yet the previous peak: the same limits.
  at(10 * minute);
  assert.equal(await touchUntilThrottled(100), 80);
  // 30 minutes after it, it is: 16,000 WCU a second (twice the peak) on 16 partitions ...
  at(31 * minute);
  assert.equal(await touchUntilThrottled(400), 320);
  assert.equal(tracker.partitionCount(name), 16);
  at(31 * minute + 1000);
  assert.equal(await touchUntilThrottled(400), 160);
  // ... and half an hour after the 32,000 WCU second, 20,000 WCU a second is fine.
  at(62 * minute);
  assert.equal(await touchUntilThrottled(200), 200);
  assert.equal(tracker.partitionCount(name), 64);
});

test('a burst of 1.2 MB to one key of a brand-new on-demand table is accepted', async () => {
  const { name } = await createCapacityTable(t.client, 'cap_od_burst', { sortKey: true });
  // ScyllaDB's test_batch_write_item_large, which DynamoDB accepts: 25 items of about 49 KB.
  const content = 'x'.repeat(49_000);
  const requests = Array.from({ length: 25 }, (_, c): WriteRequest => ({ PutRequest: { Item: { pk: { S: 'p' }, sk: { N: String(c) }, content: { S: content } } } }));
  const result = await t.client.send(new BatchWriteItemCommand({ RequestItems: { [name]: requests }, ReturnConsumedCapacity: 'TOTAL' }));
  assert.deepEqual(result.UnprocessedItems, {});
  assert.deepEqual(result.ConsumedCapacity, [{ TableName: name, CapacityUnits: 1200, WriteCapacityUnits: 1200 }]);
  // ... and five more right after (test_batch_get_item_large's 30 items, about 1.5 MB in all).
  await putAll(t.client, name, Array.from({ length: 5 }, (_, c) => ({ pk: { S: 'p' }, sk: { N: String(100 + c) }, content: { S: content } })));
});

test('by default (onDemandInstantThroughput off) neither the instant limit nor partition ceilings refuse on-demand bursts', async () => {
  const relaxed = await startCapacityServer({ clock });
  try {
    const { name } = await createCapacityTable(relaxed.client, 'cap_od_relaxed', { sortKey: true });
    clock.advance(1000);
    // 6,400 WCU in one second on a new table: beyond 4,000, accepted.
    await putAll(relaxed.client, name, evenKeys.map((key) => sizedItem(key, 80 * 1024, 0)));
    // 2 MB to one key within a second: absorbed, as DynamoDB absorbs short bursts.
    await putAll(relaxed.client, name, Array.from({ length: 41 }, (_, sk) => sizedItem('hot', 50 * 1024, sk)));
  } finally {
    await relaxed.close();
  }
});
