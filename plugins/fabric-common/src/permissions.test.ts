import {
  TENANT_SCOPED_RESOURCE_PLUGIN_IDS,
  TENANT_SCOPED_RESOURCE_TYPES,
  isTenantScopedResourceType,
  tenantConditionalDecision,
  tenantRuleParamsSchema,
} from './permissions';

describe('tenant rule contract', () => {
  it('builds the conditional decision the owning plugin evaluates', () => {
    const refs = ['tenant:default/project-birds'];
    const decision = tenantConditionalDecision('evidence-packet', refs);
    expect(decision).toEqual({
      result: 'CONDITIONAL',
      pluginId: 'evidence',
      resourceType: 'evidence-packet',
      conditions: {
        rule: 'IS_TENANT',
        resourceType: 'evidence-packet',
        params: { tenantRefs: ['tenant:default/project-birds'] },
      },
    });
    // The decision holds its own copy of the list.
    refs.push('tenant:default/project-orchard');
    expect(decision.conditions).toMatchObject({
      params: { tenantRefs: ['tenant:default/project-birds'] },
    });
  });

  it('names an owning plugin for every tenant-scoped resource type', () => {
    expect(
      TENANT_SCOPED_RESOURCE_TYPES.map(
        t => TENANT_SCOPED_RESOURCE_PLUGIN_IDS[t],
      ),
    ).toEqual(['approvals', 'evidence', 'drift']);
    expect(isTenantScopedResourceType('drift-report')).toBe(true);
    expect(isTenantScopedResourceType('catalog-entity')).toBe(false);
  });

  it('accepts tenant refs and refuses anything else as params', () => {
    expect(
      tenantRuleParamsSchema.parse({ tenantRefs: ['tenant:default/a'] }),
    ).toEqual({ tenantRefs: ['tenant:default/a'] });
    expect(tenantRuleParamsSchema.safeParse({ tenantRefs: 'a' }).success).toBe(
      false,
    );
    expect(tenantRuleParamsSchema.safeParse({}).success).toBe(false);
  });
});
