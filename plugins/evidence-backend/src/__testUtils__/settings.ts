import type { EvidenceSettings } from '../service/settings';
import { TimestampTrust } from '../service/timestamps';

/**
 * Settings of a test: one filesystem root named `ops`, small upload limits, the default
 * tenant areas, dual control for `milestones`, (keys come from the key ring each test passes).
 */
export function testSettings(options: {
  root: string;
  dataDir?: string;
  upload?: Partial<EvidenceSettings['upload']>;
  timestampTrust?: TimestampTrust;
}): EvidenceSettings {
  return {
    roots: [{ name: 'ops', path: options.root }],
    dataDir: options.dataDir,
    upload: {
      maxBytes: 10 * 1024 * 1024,
      maxExtractedBytes: 50 * 1024 * 1024,
      maxFiles: 1000,
      ...options.upload,
    },
    tenantAreas: ['tenants', 'bindings-verify'],
    dualControlAreas: ['milestones'],
    timestampTrust: options.timestampTrust ?? TimestampTrust.empty(),
    rescan: { frequency: { minutes: 10 }, initialDelay: { seconds: 1 } },
  };
}
