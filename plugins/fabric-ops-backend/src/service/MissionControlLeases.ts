import fs from 'node:fs';
import { ServiceUnavailableError } from '@backstage/errors';
import { z } from 'zod';
import { fabricErrorMap, formatZodError } from '@internal/plugin-fabric-common';

// Mission Control's claim leases (the MC claim protocol: `mc.js claim`, `claim-extend`,
// `claim-release`, `claim-status`, `claim-sweep`; one actor+session holds a task's lease
// until lease_until, default TTL 10 minutes). The portal only reads an export of them: a JSON
// file an operator's job writes from the tasks table and the sweep reports.

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  error: 'must be a name of letters, digits, ".", "_" or "-" (at most 64)',
});
const instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 time, e.g. 2026-05-08T12:30:00Z',
});

export const leasesExportSchema = z.strictObject({
  /** What produced the export, e.g. the query of the tasks table. */
  source: z.string().min(1).max(300),
  exportedAt: instant,
  defaultTtlMinutes: z.number().int().min(1).max(1440).default(10),
  leases: z
    .array(
      z.strictObject({
        taskId: z.number().int().positive(),
        title: z.string().max(300).optional(),
        actor: name,
        session: name,
        leaseUntil: instant,
      }),
    )
    .max(10_000),
  sweeps: z
    .array(
      z.strictObject({
        at: instant,
        /** Task ids whose lease was past its expiry. */
        expired: z.array(z.number().int().positive()).max(10_000),
        /** `claim-sweep --auto-release`: the expired leases were cleared. */
        autoRelease: z.boolean(),
      }),
    )
    .max(1_000)
    .default([]),
});

export type LeasesExport = z.output<typeof leasesExportSchema>;

export interface LeaseView {
  taskId: number;
  title?: string;
  holder: string;
  leaseUntil: string;
  /** `held` until lease_until; `expired` after it (a sweep reports it, a claim may take it). */
  state: 'held' | 'expired';
}

export interface LeasesView {
  source: string;
  exportedAt: string;
  defaultTtlMinutes: number;
  leases: LeaseView[];
  sweeps: LeasesExport['sweeps'];
}

/** Reads the configured export on every request; a missing or bad file is a clear 503. */
export class MissionControlLeases {
  constructor(private readonly options: { file?: string; now: () => Date }) {}

  async read(): Promise<LeasesView> {
    const { file } = this.options;
    if (!file) {
      throw new ServiceUnavailableError(
        'No Mission Control lease export is configured: set fabricOps.missionControl.leasesFile to the JSON file the export job writes',
      );
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await fs.promises.readFile(file, 'utf8'));
    } catch (error) {
      throw new ServiceUnavailableError(
        `The Mission Control lease export (fabricOps.missionControl.leasesFile) cannot be read: ${
          (error as Error).message
        }`,
      );
    }
    const parsed = leasesExportSchema.safeParse(raw, { error: fabricErrorMap });
    if (!parsed.success) {
      throw new ServiceUnavailableError(
        `The Mission Control lease export is not valid (${formatZodError(
          parsed.error,
        )}); fix the export job`,
      );
    }
    const data = parsed.data;
    const now = this.options.now().getTime();
    return {
      source: data.source,
      exportedAt: data.exportedAt,
      defaultTtlMinutes: data.defaultTtlMinutes,
      leases: data.leases
        .map(l => ({
          taskId: l.taskId,
          ...(l.title ? { title: l.title } : {}),
          holder: `${l.actor}:${l.session}`,
          leaseUntil: l.leaseUntil,
          state:
            Date.parse(l.leaseUntil) > now
              ? ('held' as const)
              : ('expired' as const),
        }))
        .sort((a, b) => a.leaseUntil.localeCompare(b.leaseUntil)),
      sweeps: [...data.sweeps].sort((a, b) => b.at.localeCompare(a.at)),
    };
  }
}
