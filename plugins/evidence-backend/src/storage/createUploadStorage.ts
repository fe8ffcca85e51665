import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Config } from '@backstage/config';
import { S3Client } from '@aws-sdk/client-s3';
import { parseConfigBlock } from '@internal/plugin-fabric-common';
import { Knex } from 'knex';
import { z } from 'zod';
import { UploadClaimStore } from '../database/UploadClaimStore';
import { S3UploadStorage } from './S3UploadStorage';
import { LocalUploadStorage, UploadStorage } from './UploadStorage';

// evidence.storage: where uploaded packets live. Absent (the local default): evidence.dataDir on
// local disk, for one process. `type: s3`: S3-compatible object storage shared by all replicas.

const s3Schema = z.object({
  type: z.literal('s3'),
  bucket: z.string().min(1, { message: 'must name the bucket' }),
  /** Key prefix inside the bucket, e.g. `evidence/`. */
  prefix: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/, {
      message: 'must be empty or end with a slash, e.g. portal/',
    })
    .default(''),
  endpoint: z
    .url({ message: 'must be a URL such as https://minio.example:9000' })
    .optional(),
  region: z.string().min(1).default('us-east-1'),
  /** MinIO and most S3-compatible servers need path-style addressing. */
  forcePathStyle: z.boolean().default(true),
  accessKeyId: z.string().min(1).optional(),
  secretAccessKey: z.string().min(1).optional(),
  /** Local, per-replica cache the verifier reads packets from (default: the OS temp folder). */
  cacheDir: z.string().min(1).optional(),
});

export type S3StorageSettings = z.infer<typeof s3Schema>;

/** Reads evidence.storage; a wrong entry stops the backend naming the key and the fix. */
export function readStorageSettings(
  config: Config,
): S3StorageSettings | undefined {
  const raw = config.getOptional('evidence.storage');
  if (raw === undefined || raw === null) return undefined;
  const settings = parseConfigBlock('evidence.storage', s3Schema, raw);
  if (!!settings.accessKeyId !== !!settings.secretAccessKey) {
    throw new Error(
      'Invalid evidence configuration:\nevidence.storage: give both accessKeyId and secretAccessKey, or neither (then the AWS default credential chain is used)',
    );
  }
  return settings;
}

/**
 * The S3 client for these settings. Checksums only where the API requires them: the SDK's
 * default (a streamed CRC trailer on every upload) is not understood by many S3-compatible
 * servers, and every packet file is checked against its recorded sha256 on read anyway.
 */
export function createS3Client(
  s3: Omit<S3StorageSettings, 'type' | 'bucket' | 'prefix'>,
) {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: s3.accessKeyId
      ? {
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey!,
        }
      : undefined,
  });
}

export function createUploadStorage(options: {
  s3?: S3StorageSettings;
  dataDir?: string;
  db: Knex;
  cwd?: string;
}): UploadStorage | undefined {
  const { s3 } = options;
  if (s3) {
    return new S3UploadStorage({
      bucket: s3.bucket,
      prefix: s3.prefix,
      client: createS3Client(s3),
      cacheDir: s3.cacheDir
        ? path.resolve(options.cwd ?? process.cwd(), s3.cacheDir)
        : path.join(
            os.tmpdir(),
            'fabric-evidence-cache',
            // One folder per store, so a cache never mixes two buckets' packets.
            createHash('sha256')
              .update(`${s3.endpoint ?? 'aws'}/${s3.bucket}/${s3.prefix}`)
              .digest('hex')
              .slice(0, 16),
          ),
      claims: new UploadClaimStore(options.db),
    });
  }
  return options.dataDir ? new LocalUploadStorage(options.dataDir) : undefined;
}
