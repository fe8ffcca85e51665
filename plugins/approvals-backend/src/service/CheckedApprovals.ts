import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  EnvironmentRules,
  GateResult,
  Proposal,
  ProposalPage,
  approvalsGateReadPermission,
  approvalsProposalClaimPermission,
  approvalsProposalCreatePermission,
  approvalsProposalReadPermission,
  gateQuerySchema,
  proposalListQuerySchema,
  proposalSubmissionSchema,
  ruleStrictness,
} from '@internal/plugin-approvals-common';
import {
  ApprovalsCallOptions,
  ApprovalsService,
} from '@internal/plugin-approvals-node';
import { parseInput, TenantScopedAccess } from '@internal/plugin-fabric-node';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { Actor } from './actors';
import { GateService } from './GateService';
import { noProposalForChange } from './proposalQueries';
import { ListOptions, ProposalService } from './ProposalService';
import { RoleResolver } from './roles';

const idSchema = z.uuid({ message: 'must be a proposal id (a UUID)' });

/** Parses a proposal id the way every route does. */
export function parseProposalId(value: unknown): string {
  return parseInput(idSchema, value, 'The proposal id');
}

/**
 * The approvals API with its permission checks, used by the HTTP router and by other
 * plugins in-process (through approvals-node's service ref): both parse input with the same
 * schemas, ask the permission policy the same questions for the caller's credentials, and
 * apply the service's own role rules, so calling in-process grants nothing HTTP would not.
 */
export class CheckedApprovals implements ApprovalsService {
  constructor(
    private readonly deps: {
      access: TenantScopedAccess;
      roles: RoleResolver;
      service: ProposalService;
      gate: GateService;
    },
  ) {}

  /** Who the credentials are to the service's own rules (operator, tenant, ci). */
  actor(credentials: BackstageCredentials): Promise<Actor> {
    return this.deps.roles.resolve(credentials);
  }

  /**
   * Loads the proposal and checks a tenant-scoped permission on it; one the caller may not
   * read (another tenant's) is not found, exactly like a missing id.
   */
  async proposalFor(
    credentials: BackstageCredentials,
    id: unknown,
    permission: typeof approvalsProposalReadPermission,
  ): Promise<Proposal> {
    return this.deps.access.findFor(
      credentials,
      permission,
      parseProposalId(id),
      proposalId => this.deps.service.proposals.find(proposalId),
    );
  }

  readonly proposals = {
    submit: async (
      submission: unknown,
      { credentials }: ApprovalsCallOptions,
    ) => {
      const input = parseInput(
        proposalSubmissionSchema,
        submission,
        'The proposal',
      );
      await this.deps.access.assertAllowedFor(
        credentials,
        approvalsProposalCreatePermission,
        input,
      );
      return this.deps.service.submit(await this.actor(credentials), input);
    },
    get: async (id: unknown, { credentials }: ApprovalsCallOptions) => {
      const proposal = await this.proposalFor(
        credentials,
        id,
        approvalsProposalReadPermission,
      );
      return this.deps.service.view(proposal.id);
    },
    list: async (query: unknown, { credentials }: ApprovalsCallOptions) => {
      const parsed = parseInput(proposalListQuerySchema, query, 'The query');
      return this.deps.service.list(
        parsed,
        await this.listOptions(credentials),
      );
    },
    /** One page with its total and the counts per state and for "waiting for me". */
    page: async (
      query: unknown,
      { credentials }: ApprovalsCallOptions,
    ): Promise<ProposalPage> => {
      const parsed = parseInput(proposalListQuerySchema, query, 'The query');
      return this.deps.service.page(
        parsed,
        await this.listOptions(credentials),
      );
    },
  };

  /** The caller's tenants, who they are, and whether anything can wait for their review. */
  private async listOptions(
    credentials: BackstageCredentials,
  ): Promise<ListOptions> {
    const scope = await this.deps.access.scope(
      credentials,
      approvalsProposalReadPermission,
    );
    const actor = await this.actor(credentials);
    let reviewer = true;
    try {
      await this.deps.access.assertAllowed(
        credentials,
        approvalsProposalClaimPermission,
      );
    } catch (error) {
      if ((error as Error)?.name !== 'NotAllowedError') throw error;
      reviewer = false;
    }
    return {
      viewer: actor.userRef,
      tenants: scope.all ? undefined : scope.tenants,
      reviewer,
    };
  }

  readonly gate = {
    evaluate: async (
      id: unknown,
      { credentials }: ApprovalsCallOptions,
    ): Promise<GateResult> => {
      const proposal = await this.proposalFor(
        credentials,
        id,
        approvalsGateReadPermission,
      );
      return this.deps.gate.evaluate(proposal.id);
    },
    evaluateChange: async (
      query: unknown,
      { credentials }: ApprovalsCallOptions,
    ): Promise<GateResult> => {
      const parsed = parseInput(gateQuerySchema, query, 'The gate query');
      // Another tenant's change answers like one nobody submitted (404).
      if (
        !(await this.deps.access.allows(
          credentials,
          approvalsGateReadPermission,
          parsed,
        ))
      ) {
        throw noProposalForChange(parsed.tenant, parsed.changeRef);
      }
      return this.deps.gate.evaluateChange(parsed.tenant, parsed.changeRef);
    },
  };

  /** The rules are configuration every signed-in page shows; no permission guards them. */
  readonly rules: ApprovalsService['rules'] = {
    forEnvironment: async (environment: string): Promise<EnvironmentRules> =>
      this.deps.service.rules.forEnvironment(environment),
    configuredEnvironments: async () => [
      ...this.deps.service.rules.environments,
    ],
    strictest: async (environments: string[]) => {
      if (environments.length === 0) {
        throw new InputError(
          'No environments to choose from: name at least one environment',
        );
      }
      let best = environments[0];
      for (const environment of environments.slice(1)) {
        const rules = this.deps.service.rules;
        if (
          ruleStrictness(rules.forEnvironment(environment)) >
          ruleStrictness(rules.forEnvironment(best))
        ) {
          best = environment;
        }
      }
      return best;
    },
  };
}
