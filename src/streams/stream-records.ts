// One change-log record as a DynamoDB Streams record: its event name from which images exist,
// the images the stream's view type asks for, and the service's identity on TTL deletions.
// A write that left the item as it was (a PutItem of the same item, an update setting what
// was there) is no stream record at all, as in DynamoDB.
import type { Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import { valuesEqual } from '../model/values.js';
import type { Change } from '../backup/change-log.js';
import type { StreamRecord } from './stream-registry.js';
import { eventIdOf, sequenceNumberOf } from './positions.js';

export interface WireStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  userIdentity?: { PrincipalId: string; Type: string };
}

/** TTL deletions are the service's own ("userIdentity" of the record). */
const serviceIdentity = Object.freeze({ PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });

/** True when the change left the item exactly as it was (nothing for a stream to report). */
export function changesNothing(change: Change): boolean {
  const { oldImage, newImage } = change;
  if (oldImage === undefined || newImage === undefined) return oldImage === newImage;
  return valuesEqual({ M: oldImage }, { M: newImage });
}

export function streamRecordOf(change: Change, stream: StreamRecord, region: string): WireStreamRecord {
  const { oldImage, newImage } = change;
  const image = (newImage ?? oldImage)!;
  const keys: Item = {};
  for (const { AttributeName } of stream.keySchema) keys[AttributeName] = image[AttributeName]!;
  const sequenceNumber = sequenceNumberOf(change.position);
  const dynamodb: WireStreamRecord['dynamodb'] = {
    // "Rounded down to the closest second", in epoch seconds.
    ApproximateCreationDateTime: Math.floor(change.position.commitMs / 1000),
    Keys: keys,
    SequenceNumber: sequenceNumber,
    SizeBytes: 0,
    StreamViewType: stream.viewType,
  };
  let sizeBytes = itemSize(keys);
  if (newImage !== undefined && (stream.viewType === 'NEW_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb.NewImage = newImage;
    sizeBytes += itemSize(newImage);
  }
  if (oldImage !== undefined && (stream.viewType === 'OLD_IMAGE' || stream.viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb.OldImage = oldImage;
    sizeBytes += itemSize(oldImage);
  }
  // unverified: DynamoDB's exact SizeBytes arithmetic; this counts the keys and images sent.
  dynamodb.SizeBytes = Math.max(1, sizeBytes);
  const record: WireStreamRecord = {
    eventID: eventIdOf(stream.streamArn, sequenceNumber),
    eventName: oldImage === undefined ? 'INSERT' : newImage === undefined ? 'REMOVE' : 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
  };
  if (change.origin === 'ttl') record.userIdentity = serviceIdentity;
  return record;
}
