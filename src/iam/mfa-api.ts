// The IAM Query API's virtual MFA devices: CreateVirtualMFADevice (hands out the base32 seed
// once), EnableMFADevice (binds the device to a user after two consecutive RFC 6238 codes),
// ListMFADevices, ListVirtualMFADevices, ResyncMFADevice, DeactivateMFADevice and
// DeleteVirtualMFADevice. A user's enabled device then authenticates GetSessionToken and
// AssumeRole calls that present its SerialNumber and a TokenCode (sts-sessions.ts).
// QRCodePNG is not produced: Base32StringSeed is (the AWS CLI's --bootstrap-method Base32StringSeed).
import { IamError, noSuchEntity } from './errors.js';
import { arn, findUser, userArnFor } from './entities.js';
import { byLowerName, compare, paginate, subjectUserName, tagShape, userShape, type Action } from './iam-api-common.js';
import { mfaDevicesPerUserMax, userNameLengthMax, virtualMfaDevicesPerAccountMax } from './limits.js';
import { consecutiveStep, newSeed } from './mfa.js';
import { validation } from './params.js';
import { auditChange, authorizeCall, type IamContext, type QueryCall } from './service.js';
import type { MfaDeviceRecord } from './store.js';
import { isoTime, type XmlValue } from './xml.js';

// Device names: 1 or more of [\w+=,.@-] (IAM model); the bound is ours, so that the serial
// number (arn:aws:iam::<account>:mfa<path><name>) stays within its 256 characters.
const deviceNameLengthMax = 226;

/** The device a SerialNumber names in this account, or IAM's NoSuchEntity. */
function findDevice(context: IamContext, serialNumber: string): MfaDeviceRecord {
  const device = context.store.mfaDevices.get(serialNumber.slice(serialNumber.lastIndexOf('/') + 1));
  // unverified: this text.
  if (device === undefined || device.serialNumber !== serialNumber) throw noSuchEntity(`VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
  return device;
}

/** IAM serialNumberType: 9..256 characters of [\w+=/:,.@-]. */
function serialNumberOf(call: QueryCall): string {
  const value = call.params.required('SerialNumber');
  if (value.length < 9 || value.length > 256) {
    throw validation(`Value '${value}' at 'serialNumber' failed to satisfy constraint: Member must have length ${value.length < 9 ? 'greater than or equal to 9' : 'less than or equal to 256'}`);
  }
  if (!/^[\w+=/:,.@-]+$/.test(value)) {
    throw validation(`Value '${value}' at 'serialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=/:,.@-]+`);
  }
  return value;
}

/** IAM authenticationCodeType: exactly 6 digits. */
function authenticationCode(call: QueryCall, parameter: 'AuthenticationCode1' | 'AuthenticationCode2'): string {
  const value = call.params.required(parameter);
  const member = parameter.charAt(0).toLowerCase() + parameter.slice(1);
  if (value.length !== 6) {
    throw validation(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length ${value.length < 6 ? 'greater than or equal to 6' : 'less than or equal to 6'}`);
  }
  if (!/^\d+$/.test(value)) throw validation(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]+`);
  return value;
}

function devicesOf(context: IamContext, userName: string): MfaDeviceRecord[] {
  return [...context.store.mfaDevices.values()].filter((device) => device.userName === userName);
}

const createVirtualMfaDevice: Action = async (context, call) => {
  const name = call.params.name('VirtualMFADeviceName', deviceNameLengthMax)!;
  const path = call.params.path();
  const serialNumber = arn(context, 'mfa', path, name);
  authorizeCall(context, call, 'iam:CreateVirtualMFADevice', serialNumber);
  // unverified: this text.
  if (context.store.mfaDevices.get(name) !== undefined) throw new IamError('EntityAlreadyExists', 'MFADevice entity at the same path and name already exists.');
  if (context.store.mfaDevices.size >= virtualMfaDevicesPerAccountMax) {
    throw new IamError('LimitExceeded', `Cannot exceed quota for VirtualMFADevicesPerAccount: ${virtualMfaDevicesPerAccountMax}`);
  }
  const device: MfaDeviceRecord = { name, path, serialNumber, seedBase32: newSeed(), createdAtMs: context.now(), tags: call.params.tags() };
  await context.store.commit([[context.store.mfaDevices, device]]);
  auditChange(context, call, 'iam', 'iam:CreateVirtualMFADevice', serialNumber);
  return {
    VirtualMFADevice: {
      SerialNumber: serialNumber,
      // A blob: the base32 text, base64-encoded on the wire.
      Base32StringSeed: Buffer.from(device.seedBase32, 'ascii').toString('base64'),
      Tags: device.tags.length > 0 ? device.tags.map(tagShape) : undefined,
    },
  };
};

/** Enable and resync: two consecutive codes, not used before (the text users report from the console and the CLI). */
function checkConsecutiveCodes(context: IamContext, seedBase32: string, serialNumber: string, first: string, second: string, nowMs: number): void {
  const step = consecutiveStep(seedBase32, first, second, nowMs);
  if (step === undefined || !context.mfaCodes.accept(serialNumber, step + 1)) {
    throw new IamError('InvalidAuthenticationCode', 'Authentication code for device is not valid.');
  }
}

const enableMfaDevice: Action = async (context, call) => {
  const userName = call.params.name('UserName', userNameLengthMax)!;
  const serialNumber = serialNumberOf(call);
  const first = authenticationCode(call, 'AuthenticationCode1');
  const second = authenticationCode(call, 'AuthenticationCode2');
  authorizeCall(context, call, 'iam:EnableMFADevice', userArnFor(context, userName));
  const user = findUser(context, userName);
  const device = findDevice(context, serialNumber);
  // unverified: this text.
  if (device.userName !== undefined) throw new IamError('EntityAlreadyExists', 'MFA Device is already in use.');
  if (devicesOf(context, user.userName).length >= mfaDevicesPerUserMax) {
    throw new IamError('LimitExceeded', `Cannot exceed quota for MFADevicesPerUser: ${mfaDevicesPerUserMax}`);
  }
  checkConsecutiveCodes(context, device.seedBase32, serialNumber, first, second, call.facts.nowMs);
  await context.store.commit([[context.store.mfaDevices, { ...device, userName: user.userName, enabledAtMs: context.now() }]]);
  auditChange(context, call, 'iam', 'iam:EnableMFADevice', user.arn);
  return undefined;
};

const resyncMfaDevice: Action = (context, call) => {
  const userName = call.params.name('UserName', userNameLengthMax)!;
  const serialNumber = serialNumberOf(call);
  const first = authenticationCode(call, 'AuthenticationCode1');
  const second = authenticationCode(call, 'AuthenticationCode2');
  authorizeCall(context, call, 'iam:ResyncMFADevice', userArnFor(context, userName));
  const user = findUser(context, userName);
  const device = findDevice(context, serialNumber);
  if (device.userName !== user.userName) throw noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`); // unverified: this text
  checkConsecutiveCodes(context, device.seedBase32, serialNumber, first, second, call.facts.nowMs);
  auditChange(context, call, 'iam', 'iam:ResyncMFADevice', user.arn);
  return undefined;
};

const deactivateMfaDevice: Action = async (context, call) => {
  const serialNumber = serialNumberOf(call);
  const userName = subjectUserName(context, call);
  authorizeCall(context, call, 'iam:DeactivateMFADevice', userArnFor(context, userName));
  const user = findUser(context, userName);
  const device = context.store.mfaDevices.get(serialNumber.slice(serialNumber.lastIndexOf('/') + 1));
  if (device === undefined || device.serialNumber !== serialNumber || device.userName !== user.userName) {
    throw noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`); // unverified: this text
  }
  const { userName: _user, enabledAtMs: _enabled, ...unassigned } = device;
  await context.store.commit([[context.store.mfaDevices, unassigned]]);
  context.mfaCodes.forget(serialNumber);
  auditChange(context, call, 'iam', 'iam:DeactivateMFADevice', user.arn);
  return undefined;
};

const deleteVirtualMfaDevice: Action = async (context, call) => {
  const serialNumber = serialNumberOf(call);
  authorizeCall(context, call, 'iam:DeleteVirtualMFADevice', serialNumber);
  const device = findDevice(context, serialNumber);
  // unverified: this text (IAM documents that a device in use must be deactivated first).
  if (device.userName !== undefined) throw new IamError('DeleteConflict', 'MFA device is still in use.');
  await context.store.commit([], [[context.store.mfaDevices, device]]);
  context.mfaCodes.forget(serialNumber);
  auditChange(context, call, 'iam', 'iam:DeleteVirtualMFADevice', serialNumber);
  return undefined;
};

const listMfaDevices: Action = (context, call) => {
  const userName = subjectUserName(context, call);
  authorizeCall(context, call, 'iam:ListMFADevices', userArnFor(context, userName));
  const user = findUser(context, userName);
  const devices = devicesOf(context, user.userName).sort((a, b) => compare(a.serialNumber, b.serialNumber));
  const { page, IsTruncated, Marker } = paginate(call, devices, (device) => byLowerName(device.serialNumber));
  return {
    MFADevices: page.map((device) => ({ UserName: user.userName, SerialNumber: device.serialNumber, EnableDate: isoTime(device.enabledAtMs!) })),
    IsTruncated,
    Marker,
  };
};

const listVirtualMfaDevices: Action = (context, call) => {
  const status = call.params.optional('AssignmentStatus') ?? 'Any';
  if (status !== 'Assigned' && status !== 'Unassigned' && status !== 'Any') {
    throw validation(`Value '${status}' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]`);
  }
  authorizeCall(context, call, 'iam:ListVirtualMFADevices', arn(context, 'mfa', '/', ''));
  const devices = [...context.store.mfaDevices.values()]
    .filter((device) => status === 'Any' || (status === 'Assigned') === (device.userName !== undefined))
    .sort((a, b) => compare(a.serialNumber, b.serialNumber));
  const { page, IsTruncated, Marker } = paginate(call, devices, (device) => byLowerName(device.serialNumber));
  const shape = (device: MfaDeviceRecord): Record<string, XmlValue> => {
    const user = device.userName === undefined ? undefined : context.store.users.get(device.userName);
    return {
      SerialNumber: device.serialNumber,
      User: user === undefined ? undefined : userShape(user, false),
      EnableDate: device.enabledAtMs === undefined ? undefined : isoTime(device.enabledAtMs),
    };
  };
  return { VirtualMFADevices: page.map(shape), IsTruncated, Marker };
};

export const mfaActions: Readonly<Record<string, Action>> = {
  CreateVirtualMFADevice: createVirtualMfaDevice,
  EnableMFADevice: enableMfaDevice,
  ResyncMFADevice: resyncMfaDevice,
  DeactivateMFADevice: deactivateMfaDevice,
  DeleteVirtualMFADevice: deleteVirtualMfaDevice,
  ListMFADevices: listMfaDevices,
  ListVirtualMFADevices: listVirtualMfaDevices,
};
