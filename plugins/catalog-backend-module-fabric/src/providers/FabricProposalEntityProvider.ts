import {
  AuthService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  Decision,
  Proposal,
  parseProposalChange,
} from '@internal/plugin-approvals-common';
import { ApprovalsProposalsApi } from '@internal/plugin-approvals-node';
import {
  FABRIC_API_VERSION,
  FABRIC_KIND_TENANT,
  FABRIC_KIND_ZAKON_RULE,
  ZAKON_CEO_APPROVAL_TOKEN,
  FABRIC_ANNOTATION_PROPOSAL_ID,
} from '@internal/plugin-fabric-common';

export { FABRIC_ANNOTATION_PROPOSAL_ID };

const PAGE = 500;

/**
 * Activates what an approval gate decided: every applied `new-tenant` proposal
 * becomes a Tenant and every applied `new-rule` proposal a ZakonRule entry
 * (status approved-pending-author), built from the content the approvers
 * signed, not from a file anybody could edit afterwards.
 *
 * The scaffolder templates write the tenant contract and registry entry into
 * a repository but never register them; this provider is the registration,
 * so nothing is active before its proposal is approved and applied. Entities
 * still go through the Fabric processor: a tenant that no longer validates, or
 * a rule the ZAKON gate refuses, is not ingested.
 *
 * It reads the approvals backend in-process (approvals-node's service ref) with the
 * catalog's own service credentials every run and replaces its whole set, so a proposal
 * that is no longer applied (never happens today) would disappear too. When the approvals
 * backend fails (or is not installed) it keeps the last set.
 */
export class FabricProposalEntityProvider implements EntityProvider {
  #connection?: EntityProviderConnection;

  constructor(
    private readonly deps: {
      auth: AuthService;
      /** The approvals backend, in-process (approvals-node). */
      approvals: Pick<ApprovalsProposalsApi, 'list' | 'get'>;
      logger: LoggerService;
      config: Config;
      taskRunner: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return 'fabric-proposals';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.deps.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (e) {
          this.deps.logger.warn(
            `Could not read applied proposals from the approvals backend; keeping the last set: ${e}`,
          );
        }
      },
    });
  }

  /** Reads the applied proposals and replaces the provider's entities. */
  async refresh(): Promise<number> {
    if (!this.#connection) {
      throw new Error('FabricProposalEntityProvider is not connected yet');
    }
    const applied = await this.#appliedProposals();
    const entities: Entity[] = [];
    for (const proposal of applied) {
      const entity =
        proposal.type === 'new-tenant'
          ? this.#tenant(proposal)
          : await this.#rule(proposal);
      if (entity) entities.push(entity);
    }
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: `fabric-proposal:${
          entity.metadata.annotations![FABRIC_ANNOTATION_PROPOSAL_ID]
        }`,
      })),
    });
    return entities.length;
  }

  async #appliedProposals(): Promise<Proposal[]> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const out: Proposal[] = [];
    // Applied, and still in place after the verify; a rolled-back change is gone again.
    for (const state of ['applied', 'verified'] as const) {
      for (let offset = 0; ; offset += PAGE) {
        const items = await this.deps.approvals.list(
          { state, limit: PAGE, offset },
          { credentials },
        );
        out.push(
          ...items.filter(
            p => p.type === 'new-tenant' || p.type === 'new-rule',
          ),
        );
        if (items.length < PAGE) break;
      }
    }
    return out;
  }

  #metadata(proposal: Proposal, name: string, extra: Record<string, unknown>) {
    const appBaseUrl = this.deps.config
      .getString('app.baseUrl')
      .replace(/\/+$/, '');
    // The proposal page is where this entity "lives"; the catalog never reads it.
    const location = `url:${appBaseUrl}/approvals/proposals/${proposal.id}`;
    return {
      name,
      namespace: 'default',
      ...extra,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [FABRIC_ANNOTATION_PROPOSAL_ID]: proposal.id,
      },
    };
  }

  #change(proposal: Proposal): { name: string; spec: any } | undefined {
    const parsed = parseProposalChange(proposal.type, proposal.change);
    if (!parsed.success) {
      this.deps.logger.warn(
        `Applied proposal ${proposal.id} (${proposal.type}) has a change that no longer parses; not activating it: ${parsed.message}`,
      );
      return undefined;
    }
    return parsed.data as { name: string; spec: any };
  }

  #tenant(proposal: Proposal): Entity | undefined {
    const change = this.#change(proposal);
    if (!change) return undefined;
    return {
      apiVersion: FABRIC_API_VERSION,
      kind: FABRIC_KIND_TENANT,
      metadata: this.#metadata(proposal, change.name, {
        description: `Created through the approved proposal "${proposal.title}".`,
        tags: ['tenant'],
      }),
      spec: change.spec,
    };
  }

  async #rule(proposal: Proposal): Promise<Entity | undefined> {
    const change = this.#change(proposal);
    if (!change) return undefined;
    const view = await this.deps.approvals.get(proposal.id, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    const approvals = view.decisions
      .filter((d: Decision) => d.kind === 'approval')
      .map(d => d.decidedAt)
      .sort();
    const approvedAt = approvals[approvals.length - 1] ?? proposal.appliedAt!;
    // The gate's decision is the approval; whatever the requester wrote into
    // the approval fields is replaced, and a new entry is never active yet.
    const { publishedSha256: _ignored, ...requested } = change.spec;
    return {
      apiVersion: FABRIC_API_VERSION,
      kind: FABRIC_KIND_ZAKON_RULE,
      metadata: this.#metadata(proposal, change.name, {
        title: `ZAKON: ${change.name}`,
        description: `Registry entry approved through the proposal "${proposal.title}"; the rule file is still to be written.`,
        tags: ['zakon'],
      }),
      spec: {
        ...requested,
        status: 'approved-pending-author',
        approvalToken: ZAKON_CEO_APPROVAL_TOKEN,
        approvalDate: approvedAt.slice(0, 10),
        approvalMethod: `Fabric Portal approval gate, proposal ${proposal.id}`,
      },
    };
  }
}

/**
 * Registering `file` locations through the catalog API is what the embedded
 * local publisher (fabric.scaffolder.localPublish) does; only when it is
 * configured does the catalog accept them next to `url`. Production leaves it
 * out, so file locations stay refused there.
 */
export function allowedLocationTypes(config: Config): string[] | undefined {
  return config.has('fabric.scaffolder.localPublish.dir')
    ? ['url', 'file']
    : undefined;
}
