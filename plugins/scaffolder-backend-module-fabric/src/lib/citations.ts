import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { EvidenceLink, PacketRef } from '@internal/plugin-approvals-common';
import type { DriftService } from '@internal/plugin-drift-node';
import type { EvidenceService } from '@internal/plugin-evidence-node';

/** What a proposal cites from the form: evidence packets and drift runs of its target. */
export interface Citations {
  tenant: string;
  environment: string;
  packets?: PacketRef[];
  /** Ids of drift runs of the tenant in the environment. */
  driftRuns?: string[];
}

const MS = 1;

/**
 * Checks, as the user who runs the template, that every cited packet and drift run is one
 * the form could have offered: a packet of the proposal's tenant that the user may read, a
 * drift run of the tenant in the target environment (from the last 30 days, as the form
 * lists them) that the user may read. A packet id the user cannot read gets the same answer
 * as an unknown one, so the check tells nothing about other tenants' packets.
 *
 * Drift runs have no field of their own in a proposal: the gate reads the target's current
 * drift itself, so a cited run is a note for the reviewer. It becomes an evidence link
 * (title naming the run, URL of the tenant's Drift tab for that environment).
 */
export class CitationChecker {
  constructor(
    private readonly deps: {
      evidence: Pick<EvidenceService, 'summary' | 'packets'>;
      drift: Pick<DriftService, 'history'>;
      appBaseUrl: string;
    },
  ) {}

  /** Refuses a citation the user may not make; returns the drift runs as evidence links. */
  async check(
    citations: Citations,
    credentials: BackstageCredentials,
  ): Promise<EvidenceLink[]> {
    const tenant = citations.tenant.toLocaleLowerCase('en-US');
    await this.checkPackets(tenant, citations.packets ?? [], credentials);
    return this.driftLinks(
      tenant,
      citations.environment,
      citations.driftRuns ?? [],
      credentials,
    );
  }

  private async checkPackets(
    tenant: string,
    packets: PacketRef[],
    credentials: BackstageCredentials,
  ) {
    const seen = new Set<string>();
    for (const [index, ref] of packets.entries()) {
      const field = `packets[${index}].packetId`;
      const id = ref.packetId.toLocaleLowerCase('en-US');
      if (seen.has(id)) {
        throw new InputError(
          `${field}: evidence packet ${ref.packetId} is cited twice; cite each packet once`,
        );
      }
      seen.add(id);
      const summary = await this.deps.evidence.summary(ref.packetId);
      const readable =
        summary &&
        (await this.deps.evidence.packets.list(
          {
            tenant: summary.tenant,
            from: summary.timestamp,
            to: new Date(
              new Date(summary.timestamp).getTime() + MS,
            ).toISOString(),
            limit: 100,
          },
          { credentials },
        ));
      if (!summary || !readable?.items.some(p => p.id === summary.id)) {
        throw new InputError(
          `${field}: evidence packet ${ref.packetId} does not exist or you may not read it; pick one of ${tenant}'s packets in the form`,
        );
      }
      if (summary.tenant !== tenant) {
        throw new InputError(
          `${field}: evidence packet ${ref.packetId} belongs to ${
            summary.tenant ?? 'no tenant'
          }, not to ${tenant}; cite a packet of ${tenant}`,
        );
      }
    }
  }

  private async driftLinks(
    tenant: string,
    environment: string,
    runIds: string[],
    credentials: BackstageCredentials,
  ): Promise<EvidenceLink[]> {
    if (runIds.length === 0) return [];
    const envName = parseEntityRef(environment, {
      defaultKind: 'resource',
      defaultNamespace: 'default',
    }).name;
    const history = await this.deps.drift.history(
      { tenant, environment: envName, limit: 1000 },
      { credentials },
    );
    const byId = new Map(history.items.map(run => [run.id, run]));
    const { namespace, name } = parseEntityRef(tenant);
    const seen = new Set<string>();
    return runIds.map((id, index) => {
      const run = byId.get(id);
      if (!run || run.tenant !== tenant) {
        throw new InputError(
          `driftRuns[${index}]: drift run ${id} is not a run of ${tenant} in ${envName} from the last 30 days that you may read; pick one of the runs the form lists`,
        );
      }
      if (seen.has(id)) {
        throw new InputError(
          `driftRuns[${index}]: drift run ${id} is cited twice; cite each run once`,
        );
      }
      seen.add(id);
      return {
        title: `Drift run ${run.id}: ${run.verdict} from ${run.source}, observed ${run.observedAt}`,
        url: `${
          this.deps.appBaseUrl
        }/catalog/${namespace}/tenant/${name}/drift?environment=${encodeURIComponent(
          envName,
        )}&run=${encodeURIComponent(run.id)}`,
      };
    });
  }
}
