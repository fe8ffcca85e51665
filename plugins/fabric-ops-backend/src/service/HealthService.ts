import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AcceptanceHealth,
  computeAcceptanceHealth,
  FABRIC_ANNOTATION_ACCEPTANCE_TARGETS,
  parseAcceptanceTargets,
  tenantsConsuming,
} from '@internal/plugin-fabric-common';
import { evidencePacketReadPermission } from '@internal/plugin-evidence-common';
import { OperationsCatalog } from './OperationsCatalog';
import { OpenProposal, SiblingReader } from './SiblingReader';

/** The health card of one plane or service. */
export interface EntityHealth extends AcceptanceHealth {
  entity: string;
  /** Annotation entries that could not be read, so nobody thinks they were checked. */
  problems: string[];
  /** The newest drift verdict of the entity, when a drift run names it. */
  drift?: string;
  /**
   * Proposals of the tenants consuming it, or naming it, not yet closed (as the caller sees
   * them); absent when the caller may not read proposals.
   */
  openProposals?: OpenProposal[];
  /** Why the caller may see it: operators and CI see every entity, tenants what they consume. */
  access: 'platform' | 'consumer';
}

export class HealthService {
  constructor(
    private readonly deps: {
      catalog: OperationsCatalog;
      siblings: SiblingReader;
      auth: AuthService;
      permissions: PermissionsService;
      staleAfterMs: number;
      now: () => Date;
    },
  ) {}

  /**
   * Operators and CI (who may read packets of no tenant) see the health of every plane and
   * service; a tenant member sees it, read-only, for what one of its tenants consumes.
   */
  /** Operators and CI only (who may read packets of every tenant); NotAllowedError otherwise. */
  async assertPlatform(
    credentials: BackstageCredentials,
    what: string,
  ): Promise<void> {
    if (await this.isPlatform(credentials)) return;
    throw new NotAllowedError(`Not allowed: ${what} are shown to operators`);
  }

  private async isPlatform(credentials: BackstageCredentials) {
    if (this.deps.auth.isPrincipal(credentials, 'service')) return true;
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: evidencePacketReadPermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  private async access(
    credentials: BackstageCredentials,
    ref: string,
    visible: Entity[],
  ): Promise<EntityHealth['access']> {
    if (await this.isPlatform(credentials)) return 'platform';
    // `visible` was read with the caller's credentials: only its own tenants are in it.
    if (tenantsConsuming(visible, ref).length > 0) return 'consumer';
    throw new NotAllowedError(
      `Not allowed: the health of ${ref} (none of your tenants consumes it)`,
    );
  }

  async health(
    credentials: BackstageCredentials,
    ref: string,
  ): Promise<EntityHealth> {
    const visible = await this.deps.catalog.operationalEntities(credentials);
    const entity = visible.find(
      e => e.kind !== 'Tenant' && stringifyEntityRef(e) === ref,
    );
    if (!entity) {
      throw new NotFoundError(`No plane or service ${ref} in the catalog`);
    }
    const access = await this.access(credentials, ref, visible);
    const { targets, problems } = parseAcceptanceTargets(
      entity.metadata.annotations?.[FABRIC_ANNOTATION_ACCEPTANCE_TARGETS],
    );
    const [runs, drift, openProposals] = await Promise.all([
      targets.length
        ? this.deps.siblings.acceptanceRuns(targets.map(t => t.area))
        : Promise.resolve([]),
      this.deps.siblings.driftVerdict(ref),
      this.deps.siblings.openProposals(
        { entityRef: ref, tenants: tenantsConsuming(visible, ref) },
        credentials,
      ),
    ]);
    // Observations are read from each target's latest run only.
    const latest = new Map<string, (typeof runs)[number]>();
    for (const run of runs) {
      const key = `${run.area}/${run.subject ?? ''}`;
      const seen = latest.get(key);
      if (!seen || Date.parse(seen.timestamp) < Date.parse(run.timestamp)) {
        latest.set(key, run);
      }
    }
    await Promise.all(
      targets.map(async t => {
        const run = latest.get(`${t.area}/${t.subject}`);
        if (run)
          run.observations = await this.deps.siblings.observations(
            run.packetId,
          );
      }),
    );
    return {
      entity: ref,
      access,
      problems,
      ...(openProposals ? { openProposals } : {}),
      ...(drift ? { drift } : {}),
      ...computeAcceptanceHealth(
        targets,
        runs,
        this.deps.now(),
        this.deps.staleAfterMs,
      ),
    };
  }
}
