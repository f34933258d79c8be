// Unit tests of the capacity model: partition counts and placement, token buckets with burst,
// partition ceilings and heat splits, on-demand growth with the previous peak, and the
// throttling switch. Time is plain milliseconds passed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionIndex, partitionsForSize, partitionsForThroughput, withCapacity } from '../../src/capacity/index.js';
import { TokenBucket } from '../../src/capacity/token-bucket.js';
import { PartitionMap, keyPosition } from '../../src/capacity/partition-map.js';
import { OnDemandPeak } from '../../src/capacity/on-demand-peak.js';
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

test('a partition ceiling is a bucket of 1,000 write units a second holding two seconds of headroom', () => {
  const map = new PartitionMap(1, 0);
  // New: two seconds of ceiling; spent, it refills at 1,000 a second.
  assert.equal(map.tryTake(7, 2000, 0), true);
  assert.equal(map.tryTake(7, 1, 0), false);
  assert.equal(map.tryTake(7, 1000, 1000), true);
  assert.equal(map.tryTake(7, 1, 1000), false);
  assert.equal(map.tryTake(7, 2000, 10_000), true);
  assert.equal(map.tryTake(7, 1, 10_000), false);
  // Settlement may leave it in debt; the debt is paid back at the ceiling's rate.
  map.charge(7, 500, 10_000);
  assert.equal(map.tryTake(7, 500, 10_999), false);
  assert.equal(map.tryTake(7, 500, 11_000), true);
});

test('partitions slice the hash space evenly and never merge', () => {
  const map = new PartitionMap(4, 0);
  assert.equal(map.count, 4);
  assert.equal(map.indexOf(0), 0);
  assert.equal(map.indexOf(2 ** 30 - 1), 0);
  assert.equal(map.indexOf(2 ** 30), 1);
  assert.equal(map.indexOf(2 ** 32 - 1), 3);
  map.ensureAtLeast(2, 0);
  assert.equal(map.count, 4);
  map.ensureAtLeast(8, 0);
  assert.equal(map.count, 8);
  // 9 equal slices share no boundary with 8: the union has 16 partitions.
  map.ensureAtLeast(9, 0);
  assert.equal(map.count, 16);
});

test('key positions are deterministic and spread neighbouring keys', () => {
  assert.equal(keyPosition('SLEADERBOARD#1'), keyPosition('SLEADERBOARD#1'));
  const positions = Array.from({ length: 10 }, (_, i) => keyPosition(`SLEADERBOARD#${i + 1}`));
  assert.equal(new Set(positions.map((position) => Math.floor(position / 2 ** 30))).size > 1, true);
  for (const position of positions) assert.ok(position >= 0 && position < 2 ** 32);
});

test('split for heat: two minutes of near-ceiling traffic split a partition between its hot keys; one hot key never splits', () => {
  const map = new PartitionMap(1, 0);
  const a = 1000;
  const b = 3_000_000_000;
  // 120 hot seconds (900 of 1,000 units each) of two keys; a split follows the 121st second's first request.
  for (let second = 1; second <= 120; second++) {
    assert.equal(map.tryTake(a, 450, second * 1000), true);
    assert.equal(map.tryTake(b, 450, second * 1000), true);
  }
  assert.equal(map.count, 1);
  map.tryTake(a, 1, 121_000);
  assert.equal(map.count, 2);
  assert.notEqual(map.indexOf(a), map.indexOf(b));
  assert.equal(map.splitsForHeat, 1);

  const single = new PartitionMap(1, 0);
  for (let second = 1; second <= 400; second++) single.tryTake(a, 1200, second * 1000);
  assert.equal(single.count, 1);
  assert.equal(single.splitsForHeat, 0);
});

test('heat must be sustained: a gap of more than 10 s without a hot second restarts the count', () => {
  const map = new PartitionMap(1, 0);
  let nowMs = 0;
  for (let i = 0; i < 119; i++) {
    nowMs += 1000;
    map.tryTake(1, 450, nowMs);
    map.tryTake(2 ** 31, 450, nowMs);
  }
  nowMs += 12_000;
  for (let i = 0; i < 5; i++) {
    nowMs += 1000;
    map.tryTake(1, 450, nowMs);
    map.tryTake(2 ** 31, 450, nowMs);
  }
  assert.equal(map.count, 1);
});

test('the previous peak is adopted 30 minutes after it was reached', () => {
  const peak = new OnDemandPeak(2000);
  peak.add(4000, 5_000);
  peak.add(100, 6_000);
  assert.equal(peak.adoptDue(10_000), false);
  assert.equal(peak.adopted, 2000);
  assert.equal(peak.pendingPeak(), 4000);
  assert.equal(peak.adoptDue(29 * 60_000 + 59_999), false);
  assert.equal(peak.adoptDue(30 * 60_000), true);
  assert.equal(peak.adopted, 4000);
  // Lower traffic never lowers it.
  peak.add(10, 31 * 60_000);
  assert.equal(peak.adoptDue(70 * 60_000), false);
  assert.equal(peak.adopted, 4000);
});

test('on-demand: 4,000 WRU or 12,000 RRU a second at first, then twice the previous peak once it is 30 minutes old', () => {
  const resource = new ResourceCapacity('arn:table', false, {}, 0, true);
  assert.equal(resource.partitions.count, 4);
  // Its four partitions' headroom: two seconds of 4,000 WRU, or 24,000 read units, at once.
  assert.equal(resource.admit('read', 24_000, undefined, 0), undefined);
  assert.equal(resource.admit('write', 1, undefined, 0), 'KeyRangeThroughputExceeded');
  // Then 4,000 a second.
  assert.equal(resource.admit('write', 4000, undefined, 1000), undefined);
  assert.equal(resource.admit('write', 1, undefined, 1000), 'KeyRangeThroughputExceeded');
  // The 8,000-unit second is not yet the previous peak 29 minutes on ...
  assert.equal(resource.admit('write', 8001, undefined, 29 * 60_000), 'KeyRangeThroughputExceeded');
  assert.equal(resource.onDemandUnitsPerSecond(), 4000);
  // ... and is 30 minutes after it: 16,000 a second, on 16 partitions, with their headroom.
  assert.equal(resource.admit('write', 32_000, undefined, 30 * 60_000), undefined);
  assert.equal(resource.onDemandUnitsPerSecond(), 16_000);
  assert.equal(resource.partitions.count, 16);
  assert.equal(resource.admit('write', 16_000, undefined, 30 * 60_000 + 1000), undefined);
  assert.equal(resource.admit('write', 1, undefined, 30 * 60_000 + 1000), 'KeyRangeThroughputExceeded');
});

test('on-demand: the per-table account quota (40,000 a second) applies unless MaxWriteRequestUnits is set', () => {
  const resource = new ResourceCapacity('arn:table', false, {}, 0, false);
  assert.equal(resource.admit('write', 40_000, undefined, 0), undefined);
  assert.equal(resource.admit('write', 1, undefined, 0), 'AccountLimitExceeded');
  const capped = new ResourceCapacity('arn:table', false, { onDemand: { MaxWriteRequestUnits: 50 } }, 0, false);
  assert.equal(capped.admit('write', 50, undefined, 0), undefined);
  assert.equal(capped.admit('write', 1, undefined, 0), 'MaxOnDemandThroughputExceeded');
});

test('switching a provisioned resource to on-demand takes half its throughput as the previous peak', () => {
  const resource = new ResourceCapacity('arn:table', false, { provisioned: { ReadCapacityUnits: 30_000, WriteCapacityUnits: 10_000 } }, 0);
  resource.configure({}, 0);
  assert.equal(resource.provisioned, false);
  assert.equal(resource.onDemandUnitsPerSecond(), 20_000);
});

test('without instant-throughput enforcement an on-demand table keeps its account quota; its partitions only count', () => {
  const relaxed = new ResourceCapacity('arn:table', false, {}, 0, false);
  assert.equal(relaxed.admit('write', 30_000, undefined, 0), undefined);
  assert.equal(relaxed.admit('write', 10_001, undefined, 0), 'AccountLimitExceeded');
  assert.equal(relaxed.admit('write', 5000, 7, 1000), undefined, 'a burst to one key is absorbed');
  const strict = new ResourceCapacity('arn:table', false, {}, 0, true);
  assert.equal(strict.admit('write', 2001, 7, 0), 'KeyRangeThroughputExceeded');
  assert.equal(strict.admit('write', 2000, 7, 0), undefined);
});

test('throttling: false leaves the dispatch table as it is', () => {
  const handlers = { GetItem: () => ({}) };
  assert.equal(withCapacity(handlers, {} as Database, { throttling: false }), handlers);
});
