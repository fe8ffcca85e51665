import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { parse } from 'yaml';
import { actionContext, outputsOf } from '../__testUtils__/fixtures';
import { createPermissionCheckAction } from './permissionCheck';

// The first step of every template. The permission service below answers as the Fabric policy
// does for these users (its decision table is tested in permission-backend-module-fabric):
// operators may do anything; a tenant member holds approvals.proposal.create on their own
// tenants only and no catalog writes.

const templatesDir = path.resolve(__dirname, '../../../../templates');
const templateInfo = (name: string) => {
  const entity = parse(
    fs.readFileSync(path.join(templatesDir, name, 'template.yaml'), 'utf8'),
  );
  return {
    entityRef: `template:default/${name}`,
    entity: { metadata: entity.metadata },
  };
};

const OPERATOR = 'user:default/olivia.operator';
const ownTenants: Record<string, string[]> = {
  'user:default/bea.birds': ['tenant:default/project-birds'],
  'user:default/wendy.web': [],
};

const userOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef: string }).userEntityRef;

const permissions = mockServices.permissions.mock({
  async authorize(requests, { credentials }) {
    return requests.map(() => ({
      result:
        userOf(credentials) === OPERATOR
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    }));
  },
  async authorizeConditional(requests, { credentials }) {
    const user = userOf(credentials);
    return requests.map(({ permission }): PolicyDecision => {
      if (user === OPERATOR) return { result: AuthorizeResult.ALLOW };
      if (permission.name !== 'approvals.proposal.create') {
        return { result: AuthorizeResult.DENY };
      }
      return {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'approvals',
        resourceType: 'approvals-proposal',
        conditions: {
          rule: 'IS_TENANT',
          resourceType: 'approvals-proposal',
          params: { tenantRefs: ownTenants[user] ?? [] },
        },
      };
    });
  },
});

describe('fabric:permission:check', () => {
  const mockDir = createMockDirectory();
  const action = createPermissionCheckAction({
    auth: mockServices.auth(),
    permissions,
  });
  const run = (
    template: string,
    user: string,
    input: Record<string, unknown> = {},
  ) => {
    const ctx = {
      ...actionContext(input, {
        user,
        workspacePath: mockDir.resolve('workspace'),
      }),
      templateInfo: templateInfo(template),
    };
    return { ctx, done: action.handler(ctx as any) };
  };

  it('refuses wendy New site before anything is written, in one sentence without a stack trace', async () => {
    const { ctx, done } = run('new-site', 'user:default/wendy.web');
    const error = await done.then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      'You may not use New site: it needs the permission catalog.location.create, which your role does not give you. Nothing was created or submitted; ask a platform operator to run it for you.',
    );
    // The scaffolder writes err.stack into the task log: it must be the message alone.
    expect(error.stack).toBe(`NotAllowedError: ${error.message}`);
    expect(error.stack).not.toMatch(/\n\s+at /);
    expect(ctx.output).not.toHaveBeenCalled();
    expect(fs.existsSync(mockDir.resolve('workspace'))).toBe(true);
    expect(fs.readdirSync(mockDir.resolve('workspace'))).toEqual([]);
  });

  it('refuses wendy New ZAKON rule and lets an operator through both', async () => {
    await expect(
      run('new-zakon-rule', 'user:default/wendy.web').done,
    ).rejects.toThrow(/may not use New ZAKON rule: .*catalog\.entity\.create/);
    for (const template of ['new-site', 'new-zakon-rule', 'site-rollback']) {
      const { ctx, done } = run(template, OPERATOR);
      await done;
      expect(outputsOf(ctx).permission).toMatch(/^[a-z]+\.[a-z]+\.[a-z]+$/);
    }
  });

  it("checks a tenant proposal on the form's tenant: bea's own passes, another tenant's is refused", async () => {
    const own = run('tenant-proposal', 'user:default/bea.birds', {
      tenant: 'tenant:default/project-birds',
    });
    await own.done;
    expect(outputsOf(own.ctx)).toEqual({
      permission: 'approvals.proposal.create',
    });
    await expect(
      run('tenant-proposal', 'user:default/bea.birds', {
        tenant: 'tenant:default/project-orchard',
      }).done,
    ).rejects.toThrow(
      'You may not use Tenant proposal: it needs the permission approvals.proposal.create on the chosen tenant',
    );
    // No tenant at all cannot be checked, so it is refused as bad input.
    await expect(
      run('tenant-proposal', 'user:default/bea.birds', { tenant: '' }).done,
    ).rejects.toThrow(InputError);
  });

  it("uses the template's fixed tenant when the form has none (ZAKON publish on platform)", async () => {
    await expect(
      run('zakon-rule-publish', 'user:default/bea.birds').done,
    ).rejects.toThrow(/may not use Publish a ZAKON rule/);
    await run('zakon-rule-publish', OPERATOR).done;
  });

  it('refuses a template that declares no permission, and a task not started by a user', async () => {
    const ctx = {
      ...actionContext({}, { workspacePath: mockDir.resolve('workspace') }),
      templateInfo: {
        entityRef: 'template:default/x',
        entity: { metadata: { name: 'x' } },
      },
    };
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'The template template:default/x declares no fabric.samakia.io/required-permission annotation',
    );
    const service = {
      ...actionContext({}, { workspacePath: mockDir.resolve('workspace') }),
      templateInfo: templateInfo('new-site'),
      getInitiatorCredentials: async () => mockCredentials.service('ci'),
    };
    await expect(action.handler(service as any)).rejects.toThrow(
      NotAllowedError,
    );
  });
});
