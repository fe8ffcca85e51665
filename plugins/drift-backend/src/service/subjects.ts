import { Entity } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { DriftRunSubmission } from '@internal/plugin-drift-common';
import {
  TenantOwnership,
  tenantsOfEntity,
} from '@internal/plugin-fabric-common';
import { DriftCatalog, ownersOf, tenantScopedRecipients } from './catalog';

/** What a run is about, as the catalog knows it. */
export interface RunSubjects {
  entity: Entity;
  tenant?: string;
  tenantEntity?: Entity;
  tenants: TenantOwnership[];
}

/** Who hears about a run, by wording. */
export interface RunAudiences {
  tenantOwners: string[];
  platformRecipients: string[];
}

/** The catalog side of a run: its entity and tenant, and who may hear about it. */
export class DriftSubjects {
  constructor(
    private readonly catalog: DriftCatalog,
    /** Configured recipients of every signal (platform wording). */
    private readonly recipients: string[],
  ) {}

  /** Looks up the run's entity and tenant; a run about something unknown is refused. */
  async resolve(run: DriftRunSubmission): Promise<RunSubjects> {
    const get = async (ref: string) => {
      try {
        return await this.catalog.getEntity(ref);
      } catch (error) {
        throw new ServiceUnavailableError(
          `The catalog could not be asked about ${ref}; try again shortly (${error})`,
        );
      }
    };
    const field = run.entity === run.tenant ? 'tenant' : 'entity';
    const entity = await get(run.entity);
    if (!entity) {
      throw new InputError(
        `${field}: ${run.entity} is not in the catalog; fix the reference or register the entity first`,
      );
    }
    let tenants: TenantOwnership[];
    try {
      tenants = await this.catalog.tenants();
    } catch (error) {
      throw new ServiceUnavailableError(
        `The catalog could not be asked for the tenants; try again shortly (${error})`,
      );
    }
    // The tenancy rule (fabric-common): the tenants the entity belongs to, by label or owner.
    const entityTenants = tenantsOfEntity(entity, tenants);
    let tenant = run.tenant;
    if (!tenant && entityTenants.length === 1) {
      // A tenant's own component: its drift belongs to the tenant.
      tenant = entityTenants[0];
    }
    const tenantRef = tenant?.toLocaleLowerCase('en-US');
    if (tenantRef && entityTenants.some(t => t !== tenantRef)) {
      // Pairing another tenant's entity with this tenant would tell each about the other.
      throw new InputError(
        `entity: ${run.entity} belongs to ${entityTenants.join(
          ', ',
        )}, not to ${tenant}; send the run for the entity's own tenant or a shared entity`,
      );
    }
    if (!tenant) return { entity, tenants };
    const tenantEntity = tenant === run.entity ? entity : await get(tenant);
    if (!tenantEntity) {
      throw new InputError(
        `tenant: ${tenant} is not in the catalog; fix the tenant name`,
      );
    }
    const environments = (tenantEntity.spec as { environments?: unknown })
      ?.environments;
    if (
      Array.isArray(environments) &&
      !environments.includes(run.environment)
    ) {
      throw new InputError(
        `environment: ${
          run.environment
        } is not one of ${tenant}'s environments (${environments.join(
          ', ',
        )}); fix the environment or the tenant`,
      );
    }
    return { entity, tenant, tenantEntity, tenants };
  }

  /**
   * Who hears about a run: the tenant's owners (tenant wording) and the entity's owners plus the
   * configured recipients (platform wording, which names the tenant and the entity), each kept
   * only where the tenancy rule lets them hear about the tenant and the entity. Asked before the
   * transaction: user recipients are looked up in the catalog.
   */
  async audiences(
    entity: Entity,
    tenantEntity: Entity | undefined,
    tenants: TenantOwnership[],
  ): Promise<RunAudiences> {
    const subjects = tenantEntity ? [entity, tenantEntity] : [entity];
    const allowed = (candidates: string[]) =>
      tenantScopedRecipients(this.catalog, candidates, subjects, tenants);
    const tenantOwners = await allowed(
      tenantEntity ? ownersOf(tenantEntity) : [],
    );
    const platformRecipients = (
      await allowed([
        ...(tenantEntity === entity ? [] : ownersOf(entity)),
        ...this.recipients,
      ])
    ).filter(r => !tenantOwners.includes(r));
    return { tenantOwners, platformRecipients };
  }
}
