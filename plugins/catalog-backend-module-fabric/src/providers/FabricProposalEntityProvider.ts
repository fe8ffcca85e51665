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
  Proposal,
  parseProposalChange,
} from '@internal/plugin-approvals-common';
import { ApprovalsProposalsApi } from '@internal/plugin-approvals-node';
import {
  GovernanceDirectory,
  findGovernanceApproval,
} from './governanceApproval';
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
 * A rule carries `[CEO_APPROVED]` only when a member of the governance group
 * approved its proposal with a signature that verifies with their own
 * registered key (governanceApproval.ts); operators' approvals never give it,
 * and without it the rule is not activated. An applied `rule-publish` proposal
 * (the authoring step) makes its rule active with the published sha256.
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
      /** Who gives [CEO_APPROVED] and their keys. */
      governance: GovernanceDirectory;
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
    const published = this.#published(applied);
    const entities: Entity[] = [];
    for (const proposal of applied) {
      if (proposal.type === 'rule-publish') continue;
      const entity =
        proposal.type === 'new-tenant'
          ? this.#tenant(proposal)
          : await this.#rule(proposal, published);
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
            p =>
              p.type === 'new-tenant' ||
              p.type === 'new-rule' ||
              p.type === 'rule-publish',
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

  /** Rule name -> the latest applied authoring step (rule-publish) for it. */
  #published(applied: Proposal[]): Map<string, { sha256: string; id: string }> {
    const out = new Map<string, { sha256: string; id: string; at: string }>();
    for (const proposal of applied) {
      if (proposal.type !== 'rule-publish') continue;
      const change = this.#change(proposal) as
        | { name: string; publishedSha256: string }
        | undefined;
      if (!change) continue;
      const at = proposal.appliedAt ?? proposal.submittedAt;
      const seen = out.get(change.name);
      if (!seen || seen.at < at) {
        out.set(change.name, {
          sha256: change.publishedSha256,
          id: proposal.id,
          at,
        });
      }
    }
    return out;
  }

  async #rule(
    proposal: Proposal,
    published: Map<string, { sha256: string; id: string }>,
  ): Promise<Entity | undefined> {
    const change = this.#change(proposal);
    if (!change) return undefined;
    const view = await this.deps.approvals.get(proposal.id, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    const ceo = await findGovernanceApproval(
      view.proposal,
      view.decisions,
      this.deps.governance,
    );
    if (!ceo.approved) {
      // Fail closed: the portal never writes [CEO_APPROVED] on its own.
      this.deps.logger.warn(
        `ZAKON proposal ${proposal.id} (${change.name}) is applied but has no [CEO_APPROVED] decision: ${ceo.reason}; not activating it`,
      );
      return undefined;
    }
    // Whatever the requester wrote into the approval fields is replaced.
    const { publishedSha256: _ignored, ...requested } = change.spec;
    const publish = published.get(change.name);
    return {
      apiVersion: FABRIC_API_VERSION,
      kind: FABRIC_KIND_ZAKON_RULE,
      metadata: this.#metadata(proposal, change.name, {
        title: `ZAKON: ${change.name}`,
        description: publish
          ? `Registry entry approved through the proposal "${proposal.title}"; rule file published through proposal ${publish.id}.`
          : `Registry entry approved through the proposal "${proposal.title}"; the rule file is still to be written.`,
        tags: ['zakon'],
      }),
      spec: {
        ...requested,
        status: publish ? 'active' : 'approved-pending-author',
        approvalToken: ZAKON_CEO_APPROVAL_TOKEN,
        approvalDate: ceo.decision.decidedAt.slice(0, 10),
        approvalMethod: `signed approval by ${ceo.decision.actor} (key ${ceo.fingerprint}), proposal ${proposal.id}`,
        ...(publish ? { publishedSha256: publish.sha256 } : {}),
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
