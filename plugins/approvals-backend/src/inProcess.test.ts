import {
  BackstageCredentials,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ApprovalsService,
  approvalsServiceRef,
} from '@internal/plugin-approvals-node';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
// The registry's real implementation in tests, as the backend composes it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { signingKeysServiceFactory } from '@internal/plugin-signing-keys-backend';
import approvalsPlugin from './index';

// Another plugin calling approvals in-process through approvals-node, as the scaffolder and
// catalog modules do: the same parsing, permission checks and role rules as the HTTP API.
jest.setTimeout(60_000);

const bea = 'user:default/bea.birds';
const mallory = 'user:default/mallory';

/** A plugin of its own that only holds on to the service ref it was given. */
function consumerPlugin(onInit: (approvals: ApprovalsService) => void) {
  return createBackendPlugin({
    pluginId: 'consumer',
    register(env) {
      env.registerInit({
        deps: { approvals: approvalsServiceRef },
        async init({ approvals }) {
          onInit(approvals);
        },
      });
    },
  });
}

const userOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef;

// The policy refuses mallory everything and allows everybody else (the real policy's tenant
// rules are covered by the authorization matrix in packages/backend).
const permissions = mockServices.permissions.mock({
  authorize: async (requests, { credentials }) =>
    requests.map(() => ({
      result:
        userOf(credentials) === mallory
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    })),
  authorizeConditional: async (requests, { credentials }) =>
    requests.map(() => ({
      result:
        userOf(credentials) === mallory
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    })) as any,
});

const submission = {
  tenant: 'project-birds',
  type: 'other' as const,
  environment: 'samakia-dev',
  title: 'Rotate credentials',
  change: { description: 'Rotate the birds database password' },
  changeRef: 'mr!42',
};

describe('approvals in-process (approvals-node service ref)', () => {
  let approvals: ApprovalsService;

  beforeAll(async () => {
    await startTestBackend({
      features: [
        approvalsPlugin,
        consumerPlugin(a => {
          approvals = a;
        }),
        signingKeysServiceFactory,
        permissions.factory,
        catalogServiceMock.factory({ entities: loadRepoCatalog() }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        mockServices.rootConfig.factory({
          data: {
            approvals: {
              // samakia-prod is deliberately not configured: the backend still treats it
              // as production by its name, and consumers must see the same.
              environments: { 'samakia-dev': { requiredApprovals: 1 } },
            },
          },
        }),
      ],
    });
  });

  it('submits as the user in the credentials, never as the calling plugin', async () => {
    const credentials = mockCredentials.user(bea);
    const proposal = await approvals.proposals.submit(submission as any, {
      credentials,
    });
    expect(proposal).toMatchObject({
      requester: bea,
      state: 'validated',
      tenant: 'tenant:default/project-birds',
    });
    const view = await approvals.proposals.get(proposal.id, { credentials });
    expect(view.proposal.id).toBe(proposal.id);
    expect(view.rules).toMatchObject({ requiredApprovals: 1 });
    const listed = await approvals.proposals.list(
      { changeRef: 'mr!42' },
      { credentials },
    );
    expect(listed.map(p => p.id)).toContain(proposal.id);
    const gate = await approvals.gate.evaluateChange(
      { tenant: 'project-birds', changeRef: 'mr!42' } as any,
      { credentials },
    );
    expect(gate).toMatchObject({ proposalId: proposal.id, allowed: false });
    expect(gate.reasons.map(r => r.code)).toContain('not-approved');
  });

  it('applies the permission policy to the credentials it is given', async () => {
    const credentials = mockCredentials.user(mallory);
    await expect(
      approvals.proposals.submit(submission as any, { credentials }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('approvals.proposal.create'),
    });
    const mine = await approvals.proposals.submit(submission as any, {
      credentials: mockCredentials.user(bea),
    });
    // Another tenant's proposal is not found, in-process as over HTTP.
    const notFound = {
      name: 'NotFoundError',
      message: `No proposal with id ${mine.id}`,
    };
    await expect(
      approvals.proposals.get(mine.id, { credentials }),
    ).rejects.toMatchObject(notFound);
    await expect(
      approvals.gate.evaluate(mine.id, { credentials }),
    ).rejects.toMatchObject(notFound);
    await expect(
      approvals.proposals.list({}, { credentials }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('parses input at the boundary like the HTTP API (400, naming the field)', async () => {
    const credentials = mockCredentials.user(bea);
    await expect(
      approvals.proposals.submit({ ...submission, type: 'nonsense' } as any, {
        credentials,
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^The proposal is invalid:\n.*type/s),
    });
    await expect(
      approvals.proposals.get('not-a-uuid', { credentials }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/proposal id.*UUID/s),
    });
  });

  it('refuses a service principal as requester, whatever plugin calls', async () => {
    await expect(
      approvals.proposals.submit(submission as any, {
        credentials: mockCredentials.service('plugin:scaffolder'),
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'CI principals cannot submit proposals',
    });
  });

  it('answers the rules exactly as the backend enforces them', async () => {
    // Not configured, but production by its name: two signed approvals.
    await expect(
      approvals.rules.forEnvironment('resource:default/samakia-prod'),
    ).resolves.toMatchObject({
      production: true,
      requiredApprovals: 2,
      requireSignature: true,
    });
    await expect(
      approvals.rules.strictest([
        'samakia-dev',
        'resource:default/samakia-prod',
      ]),
    ).resolves.toBe('resource:default/samakia-prod');
    await expect(approvals.rules.configuredEnvironments()).resolves.toEqual([
      'samakia-dev',
    ]);
  });
});

describe('approvals-node without the approvals backend', () => {
  it('fails with a clear error instead of waiting forever', async () => {
    let approvals: ApprovalsService | undefined;
    await startTestBackend({
      features: [
        consumerPlugin(a => {
          approvals = a;
        }),
      ],
    });
    await expect(
      approvals!.proposals.get('00000000-0000-4000-8000-000000000000', {
        credentials: mockCredentials.user(bea),
      }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(
        'The approvals backend is not running in this backend',
      ),
    });
  });
});
