import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { ApprovalsService } from '@internal/plugin-approvals-node';
import { isTerminalState } from '@internal/plugin-approvals-common';
import type { DriftService } from '@internal/plugin-drift-node';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import type { AcceptanceRun } from '@internal/plugin-fabric-common';
import { isError } from '@backstage/errors';
import { z } from 'zod';

// Evidence, drift and approvals are read in-process through their -node service refs.
// Evidence and drift are read as this plugin (its own service credentials) once the
// caller's access to the entity has been decided; proposals as the caller, so a tenant sees
// only its own. A packet's own file is parsed: a packet's content must not become our bug.

const observationsSchema = z.object({
  observations: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/),
      z.string().max(100),
    )
    .optional(),
});

/** An open (not yet decided or applied) proposal shown on a health card. */
export interface OpenProposal {
  id: string;
  title: string;
  tenant: string;
  state: string;
  submittedAt: string;
}

export interface SiblingReader {
  acceptanceRuns(areas: string[]): Promise<AcceptanceRun[]>;
  observations(packetId: string): Promise<Record<string, string> | undefined>;
  driftVerdict(entityRef: string): Promise<string | undefined>;
  /**
   * Proposals of `tenants`, or naming `entityRef` in their change, not yet closed, as the
   * caller may read them; undefined when the caller may not read proposals at all (a CI
   * token restricted to the catalog).
   */
  openProposals(
    query: { entityRef: string; tenants: string[] },
    credentials: BackstageCredentials,
  ): Promise<OpenProposal[] | undefined>;
}

export class InProcessSiblingReader implements SiblingReader {
  constructor(
    private readonly deps: {
      auth: AuthService;
      evidence: EvidenceService;
      drift: DriftService;
      approvals: ApprovalsService;
    },
  ) {}

  private async own() {
    return { credentials: await this.deps.auth.getOwnServiceCredentials() };
  }

  async acceptanceRuns(areas: string[]): Promise<AcceptanceRun[]> {
    const options = await this.own();
    const lists = await Promise.all(
      [...new Set(areas)].map(area =>
        this.deps.evidence.packets.list({ area, limit: 500 }, options),
      ),
    );
    return lists.flatMap(l =>
      l.items.map(p => ({
        packetId: p.id,
        area: p.area,
        subject: p.subject,
        timestamp: p.timestamp,
        result: p.result,
        verdict: p.verdict,
      })),
    );
  }

  async observations(
    packetId: string,
  ): Promise<Record<string, string> | undefined> {
    try {
      const preview = await this.deps.evidence.packets.preview(
        packetId,
        'packet.json',
        await this.own(),
      );
      const parsed = observationsSchema.safeParse(JSON.parse(preview.text));
      return parsed.success ? parsed.data.observations : undefined;
    } catch {
      // No packet.json, or one that is not JSON: the run observed nothing we can use.
      return undefined;
    }
  }

  async driftVerdict(entityRef: string): Promise<string | undefined> {
    const current = await this.deps.drift.current(
      { entity: entityRef },
      await this.own(),
    );
    return current.runs.length > 0 ? current.verdict : undefined;
  }

  async openProposals(
    query: { entityRef: string; tenants: string[] },
    credentials: BackstageCredentials,
  ): Promise<OpenProposal[] | undefined> {
    let proposals;
    try {
      proposals = await this.deps.approvals.proposals.list(
        { limit: 500 },
        { credentials },
      );
    } catch (error) {
      if (isError(error) && error.name === 'NotAllowedError') return undefined;
      throw error;
    }
    return proposals
      .filter(p => !isTerminalState(p.state))
      .filter(
        p =>
          query.tenants.includes(p.tenant) ||
          JSON.stringify(p.change).includes(`"${query.entityRef}"`),
      )
      .map(p => ({
        id: p.id,
        title: p.title,
        tenant: p.tenant,
        state: p.state,
        submittedAt: p.submittedAt,
      }))
      .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
  }
}
