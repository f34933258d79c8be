// Time under the test's control: a clock it moves by hand (injected into the server), and SDK
// clients that sign their requests with that clock's time.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../src/engine/database.js';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** Makes `client` sign requests with the clock's time, which the server checks skew against. */
export function signWithClock(client: DynamoDBClient, clock: Clock): void {
  Object.defineProperty(client.config, 'systemClockOffset', { get: () => clock.now() - Date.now(), set: () => {}, configurable: true });
}
