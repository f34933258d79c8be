// Virtual MFA through @aws-sdk/client-iam, client-sts, client-dynamodb and the AWS CLI, on a
// server whose clock the test moves: CreateVirtualMFADevice hands out a base32 seed, the test
// computes RFC 6238 codes with its own HOTP (independent of the server's), EnableMFADevice wants
// two consecutive ones, and GetSessionToken / AssumeRole with SerialNumber + TokenCode give
// sessions for which aws:MultiFactorAuthPresent is true and aws:MultiFactorAuthAge counts up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateRoleCommand, CreateVirtualMFADeviceCommand, DeactivateMFADeviceCommand, DeleteUserCommand, DeleteVirtualMFADeviceCommand, EnableMFADeviceCommand,
  ListMFADevicesCommand, ListUsersCommand, ListVirtualMFADevicesCommand, PutRolePolicyCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { uniqueTableName } from '../support/server.js';
import { createTable } from '../support/tables.js';
import { errorOf } from '../support/errors.js';
import { ManualClock } from '../support/clock.js';
import { createUserWithKey, dynamo, iamClient, sessionKeys, startIamTestServer, stsClient, type IamTestServer, type Keys } from './support.js';
import { pythonClientEnv } from '../support/python.js';

const run = promisify(execFile);
const account = '000000000000';
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
// Starts on a step boundary, so that moving by whole steps lands in known ones.
const clock = new ManualClock(Math.floor(Date.now() / 30_000) * 30_000 + 1_000);

/** RFC 4648 base32 and RFC 6238 TOTP (SHA-1, 30 s, 6 digits), written for the test. */
function decodeBase32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
function totp(seed: string, atMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac('sha1', decodeBase32(seed)).update(counter).digest();
  const offset = mac[19]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Clients sign with the test's clock, as the server checks skew against it. */
function onClock<T extends { config: object }>(client: T): T {
  Object.defineProperty(client.config, 'systemClockOffset', { get: () => clock.now() - Date.now(), set: () => {}, configurable: true });
  return client;
}

let t: IamTestServer;
let user: Keys;
let table: string;
let serial: string;
let seed: string;

before(async () => {
  t = await startIamTestServer({ clock });
  onClock(t.iam);
  onClock(t.client);
  table = uniqueTableName('mfa');
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'] });
  await t.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' } } }));
  user = await createUserWithKey(t.iam, 'mallory');
  // The IAM User Guide's pattern: allow, but deny everything without MFA; reads only within 5 minutes of it.
  await t.iam.send(
    new PutUserPolicyCommand({
      UserName: 'mallory',
      PolicyName: 'mfa',
      PolicyDocument: policy(
        { Effect: 'Allow', Action: ['dynamodb:*', 'iam:ListUsers'], Resource: '*' },
        { Sid: 'NoMfa', Effect: 'Deny', Action: 'dynamodb:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
        { Sid: 'Fresh', Effect: 'Deny', Action: 'dynamodb:GetItem', Resource: '*', Condition: { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '300' } } },
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
      ),
    }),
  );
});

after(() => t.close());

const sts = (keys: Keys) => onClock(stsClient(t.endpoint, keys));

test('CreateVirtualMFADevice: the serial number and a base32 seed; names are unique', async () => {
  const created = await t.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mallory-phone' }));
  serial = created.VirtualMFADevice!.SerialNumber!;
  assert.equal(serial, `arn:aws:iam::${account}:mfa/mallory-phone`);
  seed = Buffer.from(created.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  assert.match(seed, /^[A-Z2-7]{64}$/);
  const again = await errorOf(t.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mallory-phone' })));
  assert.equal(again.name, 'EntityAlreadyExistsException');
  const unassigned = await t.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
  assert.deepEqual(unassigned.VirtualMFADevices!.map((device) => device.SerialNumber), [serial]);
});

test('EnableMFADevice wants two consecutive codes of the device', async () => {
  const now = clock.now();
  const enable = (first: string, second: string) =>
    t.iam.send(new EnableMFADeviceCommand({ UserName: 'mallory', SerialNumber: serial, AuthenticationCode1: first, AuthenticationCode2: second }));
  const wrong = await errorOf(enable('000000', '111111'));
  assert.deepEqual([wrong.name, wrong.message], ['InvalidAuthenticationCodeException', 'Authentication code for device is not valid.']);
  const same = await errorOf(enable(totp(seed, now), totp(seed, now)));
  assert.equal(same.name, 'InvalidAuthenticationCodeException');
  const short = await errorOf(enable('12345', '123456'));
  assert.deepEqual(
    [short.name, short.message],
    ['ValidationError', "1 validation error detected: Value '12345' at 'authenticationCode1' failed to satisfy constraint: Member must have length greater than or equal to 6"],
  );
  await enable(totp(seed, now - 30_000), totp(seed, now));
  const listed = await t.iam.send(new ListMFADevicesCommand({ UserName: 'mallory' }));
  assert.deepEqual(listed.MFADevices!.map((device) => [device.UserName, device.SerialNumber]), [['mallory', serial]]);
  assert.ok(listed.MFADevices![0]!.EnableDate instanceof Date);
  const assigned = await t.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
  assert.equal(assigned.VirtualMFADevices![0]!.User?.UserName, 'mallory');
  assert.equal((await errorOf(enable(totp(seed, now), totp(seed, now + 30_000)))).name, 'EntityAlreadyExistsException');
});

test('without MFA the Deny applies: long-term keys (key absent) and sessions (key "false")', async () => {
  const direct = onClock(dynamo(t.endpoint, user));
  const error = await errorOf(direct.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })));
  assert.equal(
    error.message,
    `User: arn:aws:iam::${account}:user/mallory is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:${account}:table/${table} with an explicit deny in an identity-based policy`,
  );
  direct.destroy();
  const client = sts(user);
  const plain = onClock(dynamo(t.endpoint, sessionKeys((await client.send(new GetSessionTokenCommand({}))).Credentials!)));
  assert.equal((await errorOf(plain.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })))).name, 'AccessDeniedException');
  plain.destroy();
  client.destroy();
});

test('GetSessionToken with a code: MFA present, IAM allowed; each code once; the age counts', async () => {
  clock.advance(60_000); // past the steps EnableMFADevice used
  const client = sts(user);
  const code = totp(seed, clock.now());
  const result = await client.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code }));
  const keys = sessionKeys(result.Credentials!);
  const session = onClock(dynamo(t.endpoint, keys));
  assert.deepEqual((await session.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }))).Item, { pk: { S: 'a' } });
  // IAM takes GetSessionToken credentials when MFA authenticated them.
  const iam = onClock(iamClient(t.endpoint, keys));
  assert.ok((await iam.send(new ListUsersCommand({}))).Users!.some((entry) => entry.UserName === 'mallory'));
  iam.destroy();
  const reused = await errorOf(client.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code })));
  assert.deepEqual([reused.name, reused.message.trim()], ['AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.']);
  const wrong = await errorOf(client.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code === '000000' ? '000001' : '000000' })));
  assert.equal(wrong.message.trim(), 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
  const unknown = await errorOf(client.send(new GetSessionTokenCommand({ SerialNumber: `arn:aws:iam::${account}:mfa/nobody`, TokenCode: code })));
  assert.equal(
    unknown.message,
    'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
  );
  const shape = await errorOf(client.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: '12a456' })));
  assert.equal(shape.message, "1 validation error detected: Value '12a456' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*");
  // aws:MultiFactorAuthAge: 300 seconds pass the Fresh statement; 301 do not.
  clock.advance(300_000);
  await session.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }));
  clock.advance(1_000);
  const stale = await errorOf(session.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })));
  assert.match(stale.message, /with an explicit deny in an identity-based policy$/);
  session.destroy();
  client.destroy();
});

test('AssumeRole with SerialNumber and TokenCode satisfies a trust policy that requires MFA', async () => {
  await t.iam.send(
    new CreateRoleCommand({
      RoleName: 'needs-mfa',
      AssumeRolePolicyDocument: policy({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:user/mallory` },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      }),
    }),
  );
  await t.iam.send(
    new PutRolePolicyCommand({
      RoleName: 'needs-mfa',
      PolicyName: 'read',
      PolicyDocument: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    }),
  );
  const roleArn = `arn:aws:iam::${account}:role/needs-mfa`;
  const client = sts(user);
  const without = await errorOf(client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'm1' })));
  assert.equal(without.message, `User: arn:aws:iam::${account}:user/mallory is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  clock.advance(30_000);
  const assumed = await client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'm1', SerialNumber: serial, TokenCode: totp(seed, clock.now()) }));
  const session = onClock(dynamo(t.endpoint, sessionKeys(assumed.Credentials!)));
  assert.deepEqual((await session.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }))).Item, { pk: { S: 'a' } });
  session.destroy();
  client.destroy();
});

test('DeactivateMFADevice, then DeleteVirtualMFADevice (not while in use); a user with a device cannot be deleted', async () => {
  const inUse = await errorOf(t.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })));
  assert.equal(inUse.name, 'DeleteConflictException');
  const blocked = await errorOf(t.iam.send(new DeleteUserCommand({ UserName: 'mallory' })));
  assert.equal(blocked.name, 'DeleteConflictException');
  await t.iam.send(new DeactivateMFADeviceCommand({ UserName: 'mallory', SerialNumber: serial }));
  assert.deepEqual((await t.iam.send(new ListMFADevicesCommand({ UserName: 'mallory' }))).MFADevices, []);
  clock.advance(30_000);
  const client = sts(user);
  const gone = await errorOf(client.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: totp(seed, clock.now()) })));
  assert.match(gone.message, /unable to validate MFA code/);
  client.destroy();
  await t.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
  const missing = await errorOf(t.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })));
  assert.equal(missing.name, 'NoSuchEntityException');
  assert.deepEqual((await t.iam.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices, []);
});

test('AWS CLI: create-virtual-mfa-device writes the seed, enable-mfa-device, list-mfa-devices', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'tabula-mfa-'));
  try {
    await createUserWithKey(t.iam, 'cli-mfa');
    // The CLI signs with the real clock: keep the server's within the skew of it.
    const env = pythonClientEnv();
    const cli = async (...args: string[]) => (await run('aws', [...args, '--endpoint-url', t.endpoint, '--output', 'json'], { env })).stdout;
    const seedFile = join(folder, 'seed.txt');
    const created = JSON.parse(
      await cli('iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'cli-phone', '--outfile', seedFile, '--bootstrap-method', 'Base32StringSeed'),
    ) as { VirtualMFADevice: { SerialNumber: string } };
    const cliSerial = created.VirtualMFADevice.SerialNumber;
    const cliSeed = readFileSync(seedFile, 'utf8').trim();
    assert.match(cliSeed, /^[A-Z2-7]{64}$/);
    const now = clock.now();
    await cli('iam', 'enable-mfa-device', '--user-name', 'cli-mfa', '--serial-number', cliSerial, '--authentication-code1', totp(cliSeed, now - 30_000), '--authentication-code2', totp(cliSeed, now));
    const listed = JSON.parse(await cli('iam', 'list-mfa-devices', '--user-name', 'cli-mfa')) as { MFADevices: Array<{ SerialNumber: string }> };
    assert.deepEqual(listed.MFADevices.map((device) => device.SerialNumber), [cliSerial]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('limits: 8 devices in use per user (a 9th is refused); a code one step off is taken, two steps off is not', async () => {
  const many = await createUserWithKey(t.iam, 'many-devices');
  const seeds: Array<{ serial: string; seed: string }> = [];
  for (let i = 1; i <= 9; i++) {
    const created = await t.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `many-${i}` }));
    seeds.push({ serial: created.VirtualMFADevice!.SerialNumber!, seed: Buffer.from(created.VirtualMFADevice!.Base32StringSeed!).toString('ascii') });
  }
  const now = clock.now();
  const enable = (device: { serial: string; seed: string }) =>
    t.iam.send(
      new EnableMFADeviceCommand({
        UserName: 'many-devices', SerialNumber: device.serial, AuthenticationCode1: totp(device.seed, now - 30_000), AuthenticationCode2: totp(device.seed, now),
      }),
    );
  for (const device of seeds.slice(0, 8)) await enable(device);
  const ninth = await errorOf(enable(seeds[8]!));
  assert.equal(ninth.name, 'LimitExceededException');
  assert.equal((await t.iam.send(new ListMFADevicesCommand({ UserName: 'many-devices' }))).MFADevices!.length, 8);
  const client = sts(many);
  // Past the steps EnableMFADevice consumed (a code is good once).
  clock.advance(90_000);
  // One step behind the server's clock: accepted (drift).
  await client.send(new GetSessionTokenCommand({ SerialNumber: seeds[0]!.serial, TokenCode: totp(seeds[0]!.seed, clock.now() - 30_000) }));
  // Two steps behind: refused.
  const old = await errorOf(client.send(new GetSessionTokenCommand({ SerialNumber: seeds[1]!.serial, TokenCode: totp(seeds[1]!.seed, clock.now() - 60_000) })));
  assert.equal(old.message.trim(), 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
  client.destroy();
});
