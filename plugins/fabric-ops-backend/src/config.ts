import { Config } from '@backstage/config';
import { parseConfigBlock } from '@internal/plugin-fabric-common';
import { z } from 'zod';

const schema = z.strictObject({
  acceptance: z
    .strictObject({
      staleAfterHours: z
        .number({ error: 'must be a number of hours, e.g. 168' })
        .positive({ error: 'must be more than 0, e.g. 168' })
        .max(24 * 366, { error: 'must be at most a year (8784 hours)' })
        .default(168),
    })
    .default({ staleAfterHours: 168 }),
  missionControl: z
    .strictObject({
      leasesFile: z
        .string({ error: 'must be the path of the lease export (JSON)' })
        .min(1, { error: 'must be the path of the lease export (JSON)' })
        .optional(),
    })
    .default({}),
});

export interface FabricOpsConfig {
  staleAfterMs: number;
  /** The Mission Control claim lease export the portal reads, when configured. */
  leasesFile?: string;
}

/** Reads `fabricOps`; a bad value stops the start-up with the key and the fix. */
export function readFabricOpsConfig(config: Config): FabricOpsConfig {
  const data = parseConfigBlock(
    'fabricOps',
    schema,
    config.getOptional('fabricOps') ?? {},
  );
  return {
    staleAfterMs: data.acceptance.staleAfterHours * 3_600_000,
    leasesFile: data.missionControl.leasesFile,
  };
}
