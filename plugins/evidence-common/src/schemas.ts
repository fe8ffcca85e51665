import {
  canonicalEntityRefSchema,
  pagingShape,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';
import { SEGMENT_PATTERN, parsePacketTimestamp } from './layout';
import { VERDICTS } from './verdicts';

const segment = z.string().regex(SEGMENT_PATTERN, {
  message:
    'must start with a letter or digit and hold only letters, digits, ".", "-" and "_" (at most 100 characters)',
});

/** `<segment>/<segment>/...`: the path between the area and the timestamp. */
export const subjectSchema = z
  .string()
  .max(500)
  .transform(v => v.replace(/^\/+|\/+$/g, ''))
  .refine(v => v === '' || v.split('/').every(s => SEGMENT_PATTERN.test(s)), {
    message:
      'must be segments separated by "/", each starting with a letter or digit and holding only letters, digits, ".", "-" and "_"',
  });

/** A UTC timestamp as packet folders name them; parsed to canonical ISO. */
export const packetTimestampSchema = z.string().transform((value, ctx) => {
  const iso = parsePacketTimestamp(value);
  if (!iso) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(
        value,
      )} is not a UTC timestamp; write it like 2026-01-02T17:07:50Z`,
    });
    return z.NEVER;
  }
  return iso;
});

/** Any entity ref, full (a bare name is not enough: give the kind); canonical, lower-case. */
export const entityRefSchema = canonicalEntityRefSchema({
  example: 'tenant:default/project-birds',
});

/** A tenant name or ref; canonical `tenant:<namespace>/<name>`, lower-case. */
export const tenantRefSchema = canonicalEntityRefSchema({
  defaultKind: 'Tenant',
  allowedKinds: ['Tenant'],
  example: 'project-birds or tenant:default/project-birds',
});

/** A calendar date (`2026-01-02`, start of that day UTC) or a full ISO timestamp. */
const dateBoundSchema = (endOfDay: boolean) =>
  z.string().transform((value, ctx) => {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const date = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(
          value,
        )} is not a date; write 2026-01-02 or 2026-01-02T17:07:50Z`,
      });
      return z.NEVER;
    }
    if (dateOnly && endOfDay) date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString();
  });

/** Query of `GET /packets`. `to` given as a date includes that whole day. */
export const packetListQuerySchema = z.strictObject({
  area: segment.optional(),
  entity: entityRefSchema.optional(),
  tenant: tenantRefSchema.optional(),
  verdict: z.enum(VERDICTS).optional(),
  from: dateBoundSchema(false).optional(),
  to: dateBoundSchema(true).optional(),
  ...pagingShape(),
});

export type PacketListQuery = z.infer<typeof packetListQuerySchema>;
export type PacketListQueryInput = z.input<typeof packetListQuerySchema>;

/** Query of `POST /packets` (the body is the tar.gz of one packet). */
export const uploadQuerySchema = z.strictObject({
  area: segment,
  subject: subjectSchema.optional(),
  timestamp: packetTimestampSchema,
});

export type UploadQuery = z.infer<typeof uploadQuerySchema>;

/** A file inside a packet, packet-relative (`steps/01-accept/stdout.log`). */
export const filePathQuerySchema = z.strictObject({
  path: z.string().min(1).max(1000),
});

const sha256Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, { message: 'must be 64 hexadecimal digits' })
  .transform(v => v.toLowerCase());

/**
 * `manifest.json`: `{"algorithm": "sha256", "files": [{"path": ..., "sha256": ...}]}`,
 * or `files` as a map from path to digest.
 */
export const jsonManifestSchema = z.object({
  algorithm: z.literal('sha256').optional(),
  files: z.union([
    z.array(
      z.object({
        path: z.string().min(1).max(1000),
        sha256: sha256Hex,
        size: z.number().int().min(0).optional(),
      }),
    ),
    z.record(z.string().min(1).max(1000), sha256Hex),
  ]),
});

/** `packet.json`: optional metadata; tools may add fields of their own. */
export const packetMetadataSchema = z.looseObject({
  title: z.string().max(300).optional(),
  tenant: tenantRefSchema.optional(),
  entities: z.array(entityRefSchema).max(50).optional(),
  result: z.string().max(32).optional(),
  /**
   * What the packet is, e.g. `eval-report`: covered by the signed manifest like the rest of
   * packet.json, so a proposal citing the packet cannot relabel it (approvals compares it with
   * the kind the proposal cites).
   */
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,63}$/, {
      message:
        'must be a packet kind in lower case with dashes, such as eval-report, dataset-manifest or compatibility',
    })
    .optional(),
  requiredSigners: z.number().int().min(1).max(10).optional(),
});

export type PacketMetadata = z.infer<typeof packetMetadataSchema>;
