// Where exports are written and imports are read: an S3-compatible bucket through
// @aws-sdk/client-s3 when an endpoint is configured, else a local directory in which each
// bucket is a folder and each key a path under it (the same layout DynamoDB writes to S3).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

export interface StoredObject {
  key: string;
  sizeBytes: number;
}

/** A failure talking to the bucket, with the FailureCode DynamoDB reports for it. */
export class ObjectStoreError extends Error {
  constructor(
    readonly failureCode: 'S3NoSuchBucket' | 'S3NoSuchKey' | 'S3AccessDenied' | 'S3InvalidKey' | 'S3Error',
    message: string,
  ) {
    super(message);
  }
}

export interface ObjectStore {
  /** Writes one object; resolves with its ETag (hex MD5 for a single-part object, as S3). */
  put(bucket: string, key: string, body: Buffer, expectedOwner?: string): Promise<string>;
  /** Opens one object for reading as a stream of chunks (never read whole into memory). */
  open(bucket: string, key: string, expectedOwner?: string): Promise<AsyncIterable<Buffer>>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(bucket: string, prefix: string, expectedOwner?: string): Promise<StoredObject[]>;
}

export interface S3Settings {
  endpoint: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style addressing (default true: what local S3-compatible servers expect). */
  forcePathStyle?: boolean;
}

const noSuchBucketText = 'The specified bucket does not exist';
/** Bytes per read from a local object (our choice). */
const readChunkBytes = 64 * 1024;

/** Buckets as folders under `root`. A missing bucket folder is created on write, refused on read. */
export class LocalObjectStore implements ObjectStore {
  constructor(readonly root: string) {}

  async put(bucket: string, key: string, body: Buffer): Promise<string> {
    const path = this.path(bucket, key);
    await mkdir(dirname(path), { recursive: true });
    // Write then rename, so a reader never sees half an object.
    const temporary = `${path}.${randomBytes(6).toString('hex')}.partial`;
    await writeFile(temporary, body);
    await rename(temporary, path);
    return createHash('md5').update(body).digest('hex');
  }

  async open(bucket: string, key: string): Promise<AsyncIterable<Buffer>> {
    await this.checkBucket(bucket);
    const path = this.path(bucket, key);
    let isFile = false;
    try {
      isFile = (await stat(path)).isFile();
    } catch {
      // absent
    }
    if (!isFile) throw new ObjectStoreError('S3NoSuchKey', 'The specified key does not exist.');
    return createReadStream(path, { highWaterMark: readChunkBytes });
  }

  async list(bucket: string, prefix: string): Promise<StoredObject[]> {
    const bucketPath = await this.checkBucket(bucket);
    const out: StoredObject[] = [];
    // Only folders that can hold a matching key are walked.
    const slash = prefix.lastIndexOf('/');
    const startDir = slash < 0 ? '' : prefix.slice(0, slash);
    await this.walk(bucketPath, startDir, prefix, out);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private async walk(bucketPath: string, relative: string, prefix: string, out: StoredObject[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(join(bucketPath, ...relative.split('/').filter(Boolean)), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const key = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.walk(bucketPath, key, prefix, out);
      } else if (entry.isFile() && key.startsWith(prefix) && !key.endsWith('.partial')) {
        out.push({ key, sizeBytes: (await stat(join(bucketPath, ...key.split('/')))).size });
      }
    }
  }

  private async checkBucket(bucket: string): Promise<string> {
    const bucketPath = this.bucketPath(bucket);
    try {
      if ((await stat(bucketPath)).isDirectory()) return bucketPath;
    } catch {
      // fall through
    }
    throw new ObjectStoreError('S3NoSuchBucket', noSuchBucketText);
  }

  private bucketPath(bucket: string): string {
    if (bucket === '' || bucket.includes('/') || bucket.includes(sep) || bucket === '.' || bucket === '..') {
      throw new ObjectStoreError('S3NoSuchBucket', noSuchBucketText);
    }
    return join(this.root, bucket);
  }

  /** A key's file; keys that would leave the bucket folder ("..", empty segments) are refused. */
  private path(bucket: string, key: string): string {
    const segments = key.split('/');
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes(sep))) {
      throw new ObjectStoreError('S3InvalidKey', `Object key ${JSON.stringify(key)} cannot be mapped to a local file`);
    }
    return join(this.bucketPath(bucket), ...segments);
  }
}

type S3Module = typeof import('@aws-sdk/client-s3');

/** An S3-compatible endpoint (AWS S3, MinIO, moto...). The SDK is loaded on first use. */
export class S3ObjectStore implements ObjectStore {
  private client: Promise<{ s3: S3Module; client: InstanceType<S3Module['S3Client']> }> | undefined;

  constructor(private readonly settings: S3Settings) {}

  async put(bucket: string, key: string, body: Buffer, expectedOwner?: string): Promise<string> {
    const { s3, client } = await this.connect();
    const md5 = createHash('md5').update(body);
    const result = await this.call(() =>
      client.send(
        new s3.PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentMD5: md5.copy().digest('base64'),
          ...(expectedOwner && { ExpectedBucketOwner: expectedOwner }),
        }),
      ),
    );
    return (result.ETag ?? md5.digest('hex')).replace(/"/g, '');
  }

  async open(bucket: string, key: string, expectedOwner?: string): Promise<AsyncIterable<Buffer>> {
    const { s3, client } = await this.connect();
    const result = await this.call(() => client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: key, ...(expectedOwner && { ExpectedBucketOwner: expectedOwner }) })));
    // In Node the body is a Readable: read it as it arrives; a failure mid-way is an S3 error.
    const body = result.Body as unknown as AsyncIterable<Uint8Array>;
    return (async function* () {
      try {
        for await (const chunk of body) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      } catch (error) {
        throw new ObjectStoreError('S3Error', (error as Error).message);
      }
    })();
  }

  async list(bucket: string, prefix: string, expectedOwner?: string): Promise<StoredObject[]> {
    const { s3, client } = await this.connect();
    const out: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(() =>
        client.send(
          new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, ...(expectedOwner && { ExpectedBucketOwner: expectedOwner }) }),
        ),
      );
      for (const object of page.Contents ?? []) out.push({ key: object.Key!, sizeBytes: object.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  private connect() {
    this.client ??= import('@aws-sdk/client-s3').then((s3) => ({
      s3,
      client: new s3.S3Client({
        endpoint: this.settings.endpoint,
        region: this.settings.region ?? 'us-east-1',
        forcePathStyle: this.settings.forcePathStyle ?? true,
        ...(this.settings.credentials && { credentials: this.settings.credentials }),
      }),
    }));
    return this.client;
  }

  /** Runs one S3 call, mapping its errors to DynamoDB's FailureCodes. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      const message = (error as { message?: string }).message ?? String(error);
      if (name === 'NoSuchBucket') throw new ObjectStoreError('S3NoSuchBucket', noSuchBucketText);
      if (name === 'NoSuchKey') throw new ObjectStoreError('S3NoSuchKey', 'The specified key does not exist.');
      if (name === 'AccessDenied' || name === 'Forbidden') throw new ObjectStoreError('S3AccessDenied', message);
      throw new ObjectStoreError('S3Error', message);
    }
  }
}
