import fs from 'node:fs';
import path from 'node:path';
import { BackstageUserInfo } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { tenantMemberMayReadTemplate } from '@internal/plugin-fabric-common';
import { loadCatalogFile, ownershipOf } from '@internal/fabric-test-utils';
import { parse } from 'yaml';
import { readFabricPolicyConfig } from './config';
import { FabricPermissionPolicy } from './policy';
import { TenantDirectory } from './tenants';

// Which of the repository's templates (templates/*/template.yaml) each user is offered: the
// policy's catalog.entity.read decision, evaluated by the catalog's OWN rule implementations on
// the real template entities, with the permission list of app-config.yaml.

const repoRoot = path.resolve(__dirname, '../../..');
const templatesDir = path.join(repoRoot, 'templates');
const templates: Entity[] = fs
  .readdirSync(templatesDir)
  .filter(n => fs.existsSync(path.join(templatesDir, n, 'template.yaml')))
  .map(n => {
    const entity = parse(
      fs.readFileSync(path.join(templatesDir, n, 'template.yaml'), 'utf8'),
    );
    return {
      ...entity,
      metadata: { namespace: 'default', ...entity.metadata },
      relations: [
        { type: 'ownedBy', targetRef: entity.spec.owner.toLowerCase() },
      ],
    };
  });

const appConfig = parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
);
const policyConfig = readFabricPolicyConfig(new ConfigReader(appConfig));

const policy = new FabricPermissionPolicy({
  config: policyConfig,
  userInfo: mockServices.userInfo.mock({
    async getUserInfo(credentials): Promise<BackstageUserInfo> {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: ownershipOf(ref) };
    },
  }),
  tenants: new TenantDirectory({
    catalog: catalogServiceMock({ entities: loadCatalogFile('tenants.yaml') }),
    auth: mockServices.auth(),
  }),
});

const authorize = createConditionAuthorizer(Object.values(permissionRules));

async function offeredTo(user: string): Promise<string[]> {
  const userRef = `user:default/${user}`;
  const decision = await policy.handle(
    { permission: catalogEntityReadPermission },
    {
      credentials: mockCredentials.user(userRef),
      info: { userEntityRef: userRef, ownershipEntityRefs: ownershipOf(user) },
    },
  );
  return templates
    .filter(t => authorize(decision, t))
    .map(t => t.metadata.name)
    .sort();
}

describe('templates offered by the permission policy', () => {
  it('finds every template of the repository', () => {
    expect(templates.map(t => t.metadata.name).sort()).toEqual([
      'new-runbook',
      'new-site',
      'new-tenant',
      'new-zakon-rule',
      'phantom-domain-removal',
      'site-rollback',
      'tenant-proposal',
      'zakon-rule-publish',
    ]);
  });

  it('offers wendy.web (a member of no tenant) nothing she could not complete: no New site, no New ZAKON rule', async () => {
    expect(await offeredTo('wendy.web')).toEqual([]);
  });

  it('offers a tenant member only the tenant proposal', async () => {
    expect(await offeredTo('bea.birds')).toEqual(['tenant-proposal']);
    expect(await offeredTo('tom.tenant')).toEqual(['tenant-proposal']);
  });

  it('offers an operator every template', async () => {
    expect(await offeredTo('olivia.operator')).toEqual(
      templates.map(t => t.metadata.name).sort(),
    );
  });

  it('decides like the predicate the scaffolder step shares', async () => {
    const bea = await offeredTo('bea.birds');
    const predicate = templates
      .filter(t =>
        tenantMemberMayReadTemplate(t, policyConfig.tenantPermissions, [
          'tenant:default/project-birds',
        ]),
      )
      .map(t => t.metadata.name)
      .sort();
    expect(bea).toEqual(predicate);
    // A tenant member sees the ZAKON publish template only if they owned the platform tenant.
    const platform = templates.find(
      t => t.metadata.name === 'zakon-rule-publish',
    )!;
    expect(
      tenantMemberMayReadTemplate(platform, policyConfig.tenantPermissions, [
        'tenant:default/platform',
      ]),
    ).toBe(true);
  });
});
