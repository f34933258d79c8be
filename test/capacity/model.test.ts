// Unit tests of the capacity model: partition counts and placement, token buckets with burst,
// on-demand growth with the previous peak, and the throttling switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionIndex, partitionsForSize, partitionsForThroughput, withCapacity } from '../../src/capacity/index.js';
import { TokenBucket, KeyWindow } from '../../src/capacity/token-bucket.js';
import { ResourceCapacity } from '../../src/capacity/resource-capacity.js';
import type { Database } from '../../src/engine/database.js';

test('partitions for throughput: ceil(RCU / 3,000 + WCU / 1,000)', () => {
  assert.equal(partitionsForThroughput(5, 5), 1);
  assert.equal(partitionsForThroughput(3000, 0), 1);
  assert.equal(partitionsForThroughput(3000, 1), 2);
  assert.equal(partitionsForThroughput(3000, 1000), 2);
  assert.equal(partitionsForThroughput(12_000, 4000), 8);
});

test('partitions for size: one per 10 GB', () => {
  const gb = 1024 ** 3;
  assert.equal(partitionsForSize(0), 0);
  assert.equal(partitionsForSize(10 * gb), 1);
  assert.equal(partitionsForSize(10 * gb + 1), 2);
});

test('a partition key digest falls in one of equal slices of the 64-bit hash space', () => {
  const digest = (firstByte: number, fill = 0) => Buffer.from([firstByte, ...Array(15).fill(fill)]);
  assert.equal(partitionIndex(digest(0x00), 4), 0);
  assert.equal(partitionIndex(digest(0x3f, 0xff), 4), 0);
  assert.equal(partitionIndex(digest(0x40), 4), 1);
  assert.equal(partitionIndex(digest(0xff, 0xff), 4), 3);
  assert.equal(partitionIndex(digest(0x80), 1), 0);
});

test('a token bucket refills at its rate up to its capacity and may go into debt', () => {
  const bucket = new TokenBucket(5, 1500, 5, 0);
  assert.equal(bucket.refill(0), 5);
  bucket.level -= 7;
  assert.equal(bucket.refill(1000), 3);
  assert.equal(bucket.refill(1_000_000), 1500);
});

test('a key window counts units per whole second, and refuses what would take a key over its ceiling', () => {
  const window = new KeyWindow(1000);
  window.add('k', 600, 5_000);
  assert.equal(window.tryAdd('other', 300, 5_100), true);
  assert.equal(window.usedBy('k', 5_200), 600);
  // The resource passes 1,000 units in this second: from here keys are counted one by one.
  assert.equal(window.tryAdd('k', 400, 5_300), true);
  assert.equal(window.tryAdd('k', 1, 5_400), false);
  assert.equal(window.tryAdd('other', 700, 5_500), true);
  assert.equal(window.usedBy('k', 5_999), 1000);
  assert.equal(window.usedBy('k', 6_000), 0);
  assert.equal(window.tryAdd('k', 1000, 6_000), true);
});

test('on-demand: 4,000 WRU or 12,000 RRU at first, then twice the previous peak', () => {
  const resource = new ResourceCapacity('arn:table', false, {}, 0, true);
  // 12,000 read units are the whole 4,000-write-unit budget of a new table.
  assert.equal(resource.admit('read', 12_000, undefined, 0), undefined);
  assert.equal(resource.admit('write', 1, undefined, 0), 'KeyRangeThroughputExceeded');
  // That second's traffic becomes the previous peak once it ends: 8,000 per second after it.
  resource.charge('write', 0.001, 1000);
  assert.equal(resource.onDemandUnitsPerSecond(), 8000);
  assert.equal(resource.admit('write', 7999, undefined, 2000), undefined);
});

test('switching a provisioned resource to on-demand takes half its throughput as the previous peak', () => {
  const resource = new ResourceCapacity('arn:table', false, { provisioned: { ReadCapacityUnits: 30_000, WriteCapacityUnits: 10_000 } }, 0);
  resource.configure({}, 0);
  assert.equal(resource.provisioned, false);
  assert.equal(resource.onDemandUnitsPerSecond(), 20_000);
});

test('on-demand instant throughput and the hot-key ceiling are enforced only when asked for', () => {
  const relaxed = new ResourceCapacity('arn:table', false, {}, 0, false);
  assert.equal(relaxed.admit('write', 100_000, undefined, 0), undefined);
  assert.equal(relaxed.admit('write', 1001, 'Shot', 0), undefined);
  const strict = new ResourceCapacity('arn:table', false, {}, 0, true);
  assert.equal(strict.admit('write', 1001, 'Shot', 0), 'KeyRangeThroughputExceeded');
  assert.equal(strict.admit('write', 1000, 'Shot', 0), undefined);
});

test('throttling: false leaves the dispatch table as it is', () => {
  const handlers = { GetItem: () => ({}) };
  assert.equal(withCapacity(handlers, {} as Database, { throttling: false }), handlers);
});
