import path from 'node:path';
import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { SEGMENT_PATTERN } from '@internal/plugin-evidence-common';
import { parseConfigBlock } from '@internal/plugin-fabric-common';
import { z } from 'zod';
import { TimestampTrust } from './timestamps';

export interface EvidenceRoot {
  name: string;
  /** Absolute. */
  path: string;
}

export interface EvidenceSettings {
  roots: EvidenceRoot[];
  /** Absolute; uploads are refused without it. */
  dataDir?: string;
  upload: { maxBytes: number; maxExtractedBytes: number; maxFiles: number };
  tenantAreas: string[];
  dualControlAreas: string[];
  /** Authorities whose RFC 3161 timestamps over a manifest are trusted. */
  timestampTrust: TimestampTrust;
  rescan: { frequency: HumanDuration; initialDelay: HumanDuration };
}

const MiB = 1024 * 1024;

const areaList = z.array(
  z.string().regex(SEGMENT_PATTERN, {
    message: 'must be an area name such as tenants',
  }),
);

const schema = z.object({
  roots: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, {
          message: 'must be a short id: lower-case letters, digits and dashes',
        }),
        path: z.string().min(1),
      }),
    )
    .default([])
    .refine(roots => new Set(roots.map(r => r.name)).size === roots.length, {
      message: 'root names must be unique',
    }),
  dataDir: z.string().min(1).optional(),
  upload: z
    .object({
      maxBytes: z
        .number()
        .int()
        .positive()
        .default(100 * MiB),
      maxExtractedBytes: z
        .number()
        .int()
        .positive()
        .default(1024 * MiB),
      maxFiles: z.number().int().positive().max(100_000).default(10_000),
    })
    .default({
      maxBytes: 100 * MiB,
      maxExtractedBytes: 1024 * MiB,
      maxFiles: 10_000,
    }),
  tenantAreas: areaList.default(['tenants', 'bindings-verify']),
  dualControlAreas: areaList.default([]),
  // Keys come only from the signing-key registry (proof of possession, one owner per key);
  // a configured key would bypass both, so the old setting stops the start with the fix.
  signingKeys: z
    .never({
      message:
        'is no longer read: every signing key is registered by its owner in the signing-key registry (Signing key panel on the Approvals page, or /api/signing-keys)',
    })
    .optional(),
  timestampAuthorities: z
    .array(
      z.object({
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/, {
          message: 'must be a short name such as samakia-tsa',
        }),
        certificate: z.string().includes('-----BEGIN CERTIFICATE-----', {
          message:
            "must be the authority's PEM certificate (its root, or the TSA certificate itself)",
        }),
      }),
    )
    .default([]),
});

/**
 * Reads and checks the `evidence` block; a wrong entry stops the backend
 * with a message naming the key and the fix.
 */
export function readEvidenceSettings(
  config: Config,
  cwd = process.cwd(),
): EvidenceSettings {
  const block = config.getOptionalConfig('evidence');
  const raw = block?.get() ?? {};
  const data = parseConfigBlock('evidence', schema, raw);
  const duration = (key: string, fallback: HumanDuration): HumanDuration =>
    block?.has(key) ? readDurationFromConfig(block, { key }) : fallback;
  return {
    roots: data.roots.map(r => ({
      name: r.name,
      path: path.resolve(cwd, r.path),
    })),
    dataDir: data.dataDir ? path.resolve(cwd, data.dataDir) : undefined,
    upload: data.upload,
    tenantAreas: data.tenantAreas,
    dualControlAreas: data.dualControlAreas,
    timestampTrust: readTimestampTrust(data.timestampAuthorities),
    rescan: {
      frequency: duration('rescan.frequency', { minutes: 10 }),
      initialDelay: duration('rescan.initialDelay', { seconds: 15 }),
    },
  };
}

function readTimestampTrust(
  authorities: Array<{ name: string; certificate: string }>,
): TimestampTrust {
  try {
    return TimestampTrust.fromAuthorities(authorities);
  } catch (error) {
    throw new Error(
      `Invalid evidence configuration:\nevidence.timestampAuthorities: ${
        (error as Error).message
      }`,
    );
  }
}
