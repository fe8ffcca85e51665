import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  Proposal,
  ProposalSubmission,
  proposalSubmissionSchema,
} from '@internal/plugin-approvals-common';
import { Knex } from 'knex';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
import { inMemoryCatalog } from '../__testUtils__/catalog';
import { applyMigrations } from '../database/migrations';
import { Actor } from './actors';
import { ProposalNotifier } from './notifier';
import { ProposalService } from './ProposalService';
import { createApprovalsRules } from './rules';
// The registry's real implementation in tests, as the backend composes it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  openSigningKeyRegistry,
  SigningKeyRegistry,
} from '@internal/plugin-signing-keys-backend';
import { OpenPgpSignatureVerifier, registryKeys } from './signatures';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const bea: Actor = { userRef: 'user:default/bea.birds', roles: ['tenant'] };
const olivia: Actor = {
  userRef: 'user:default/olivia.operator',
  roles: ['operator'],
};
const oscar: Actor = {
  userRef: 'user:default/oscar.operator',
  roles: ['operator'],
};

const prodApiBinding = {
  workload: 'api',
  consumer: 'postgres',
  environment: 'samakia-prod',
  endpoint: 'postgres-birds.infra.samakia.net:5432',
  service: 'component:default/samakia-executor-postgres',
};

function submission(
  overrides: Partial<Record<keyof ProposalSubmission, unknown>>,
): ProposalSubmission {
  return proposalSubmissionSchema.parse({
    tenant: 'project-birds',
    type: 'binding-change',
    environment: 'samakia-prod',
    title: 'Bind the worker to PostgreSQL',
    change: {
      action: 'add',
      binding: { ...prodApiBinding, workload: 'worker' },
    },
    ...overrides,
  });
}

/** Records what would be sent, to check who hears about what. */
class RecordingNotifier implements ProposalNotifier {
  readonly events: string[] = [];
  async awaitingReview(p: Proposal, excluded: string[]) {
    this.events.push(`review ${p.state} excluding ${excluded.join(',')}`);
  }
  async decided(p: Proposal, summary: string) {
    this.events.push(`decided ${p.state}: ${summary}`);
  }
  async verifyOverdue(p: Proposal, summary: string) {
    this.events.push(`verify-overdue ${p.state}: ${summary}`);
  }
}

describe.each(databases.eachSupportedId())(
  'validation against the catalog and notifications on %p',
  databaseId => {
    let knex: Knex;
    let service: ProposalService;
    let notifier: RecordingNotifier;
    let signingKeys: SigningKeyRegistry;

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(knex);
      // The registry keeps its own database, as in the backend.
      const keysDb = await databases.init(databaseId as TestDatabaseId);
      signingKeys = await openSigningKeyRegistry(keysDb);
    });

    beforeEach(() => {
      notifier = new RecordingNotifier();
      service = new ProposalService({
        db: knex,
        catalog: inMemoryCatalog(loadRepoCatalog()),
        notifier,
        signatures: new OpenPgpSignatureVerifier(registryKeys(signingKeys)),
        rules: createApprovalsRules({ quotaMaxima: { cpuCores: 32 } }),
      });
    });

    const problemsOf = (p: Proposal) =>
      (p.validation?.problems ?? []).map(x => `${x.path}: ${x.message}`);

    it('validates a binding that fits the tenant and tells the reviewers', async () => {
      const p = await service.submit(bea, submission({}));
      expect(problemsOf(p)).toEqual([]);
      expect(p.state).toBe('validated');
      expect(notifier.events).toEqual(['review validated excluding ']);
    });

    it('rejects bindings to unknown services, absent bindings and disabled consumers, with reasons', async () => {
      const unknownService = await service.submit(
        bea,
        submission({
          change: {
            action: 'add',
            binding: {
              ...prodApiBinding,
              workload: 'worker',
              service: 'component:default/no-such-db',
            },
          },
        }),
      );
      expect(unknownService.state).toBe('rejected');
      expect(problemsOf(unknownService)).toEqual([
        expect.stringMatching(
          /^change\.binding\.service: component:default\/no-such-db is not a service in the catalog/,
        ),
      ]);
      expect(notifier.events.at(-1)).toMatch(
        /^decided rejected: Automatic validation failed: change\.binding\.service/,
      );

      const duplicate = await service.submit(
        bea,
        submission({ change: { action: 'add', binding: prodApiBinding } }),
      );
      expect(problemsOf(duplicate)).toEqual([
        expect.stringContaining('is already bound; use action replace'),
      ]);

      const removeMissing = await service.submit(
        bea,
        submission({
          change: {
            action: 'remove',
            binding: { ...prodApiBinding, workload: 'ghost' },
          },
        }),
      );
      expect(problemsOf(removeMissing)).toEqual([
        expect.stringMatching(
          /^change\.binding: ghost -> postgres in samakia-prod is not one of project-birds's bindings/,
        ),
      ]);

      // Harbor consumes qdrant and postgres, not rabbitmq: the resulting tenant is invalid.
      const wrongConsumer = await service.submit(
        { userRef: 'user:default/hana.harbor', roles: ['tenant'] },
        submission({
          tenant: 'project-harbor',
          environment: 'samakia-staging',
          change: {
            action: 'add',
            binding: {
              workload: 'notifier',
              consumer: 'rabbitmq',
              environment: 'samakia-staging',
              endpoint: 'rabbitmq-harbor.infra.samakia.net:5671',
            },
          },
        }),
      );
      expect(problemsOf(wrongConsumer)).toEqual([
        expect.stringMatching(
          /^resulting tenant: spec\.bindings\[\d+\]\.consumer: 'rabbitmq' is not one of this tenant's consumers/,
        ),
      ]);
    });

    it('checks the tenant, the environment and new tenants against the catalog', async () => {
      const orchardInStaging = await service.submit(
        bea,
        submission({
          tenant: 'project-orchard',
          type: 'capacity-change',
          environment: 'samakia-staging',
          change: {
            quotas: {
              cpuCores: 8,
              memoryGiB: 16,
              storageGiB: 200,
              maxDatabases: 2,
              maxConnections: 100,
            },
          },
        }),
      );
      expect(problemsOf(orchardInStaging)).toEqual([
        expect.stringMatching(
          /^environment: tenant:default\/project-orchard does not run in resource:default\/samakia-staging/,
        ),
      ]);

      const ghostTenant = await service.submit(
        bea,
        submission({
          tenant: 'project-ghost',
          environment: 'samakia-moon',
          type: 'other',
          change: { description: 'Anything' },
        }),
      );
      expect(problemsOf(ghostTenant)).toEqual([
        expect.stringMatching(
          /^environment: .*samakia-moon is not in the catalog/,
        ),
        expect.stringMatching(/^tenant: .*project-ghost is not in the catalog/),
      ]);

      const newTenant = (name: string, owner: string) =>
        submission({
          tenant: name,
          type: 'new-tenant',
          environment: 'samakia-dev',
          change: {
            name,
            spec: {
              owner,
              environments: ['samakia-dev'],
              consumers: [
                { provider: 'postgres', variant: 'single', enabled: true },
              ],
              quotas: {
                cpuCores: 2,
                memoryGiB: 4,
                storageGiB: 20,
                maxDatabases: 1,
                maxConnections: 20,
              },
            },
          },
        });
      const fresh = await service.submit(
        bea,
        newTenant('project-kites', 'group:default/team-birds'),
      );
      expect(problemsOf(fresh)).toEqual([]);
      const existing = await service.submit(
        bea,
        newTenant('project-birds', 'group:default/team-nobody'),
      );
      expect(problemsOf(existing)).toEqual([
        expect.stringMatching(/^tenant: .*project-birds already exists/),
        expect.stringMatching(
          /^change\.spec\.owner: .*team-nobody is not a group/,
        ),
      ]);
    });

    it('promotes only between environments the tenant runs in', async () => {
      const promotion = (tenant: string, from: string, to: string) =>
        submission({
          tenant,
          type: 'promotion',
          environment: to,
          title: `Promote the api image from ${from} to ${to}`,
          change: {
            artefact: { kind: 'image', name: 'registry/api', version: '1.0.0' },
            from,
            to,
          },
          packets: [{ packetId: '00000000-0000-4000-8000-0000000000e1' }],
        });
      // project-birds is on the Run/Operate ladder too (catalog/tenants.yaml): one rung, taken.
      const birds = await service.submit(
        bea,
        promotion('project-birds', 'dev', 'prod'),
      );
      expect(problemsOf(birds)).toEqual([]);
      expect(birds.state).toBe('validated');
      // One rung up, but project-orchard has no samakia-staging.
      const orchard = await service.submit(
        bea,
        promotion('project-orchard', 'samakia-dev', 'samakia-staging'),
      );
      expect(problemsOf(orchard)).toEqual([
        expect.stringMatching(
          /^change\.to: tenant:default\/project-orchard does not run in resource:default\/samakia-staging \(its environments: resource:default\/samakia-dev, resource:default\/samakia-prod\)/,
        ),
      ]);
      expect(orchard.state).toBe('rejected');
      // project-harbor is on neither Run/Operate rung.
      const harbor = await service.submit(
        bea,
        promotion('project-harbor', 'dev', 'prod'),
      );
      expect(problemsOf(harbor)).toEqual([
        expect.stringMatching(
          /^change\.from: .*project-harbor does not run in resource:default\/dev \(/,
        ),
        expect.stringMatching(
          /^change\.to: .*project-harbor does not run in resource:default\/prod \(/,
        ),
      ]);
    });

    it('notifies the second reviewer after one approval and the requester after the decision', async () => {
      const p = await service.submit(
        bea,
        submission({
          environment: 'samakia-dev',
          change: {
            action: 'add',
            binding: {
              ...prodApiBinding,
              workload: 'worker',
              environment: 'samakia-dev',
            },
          },
        }),
      );
      expect(p.state).toBe('validated');
      const rules = createApprovalsRules({
        environments: { 'samakia-dev': { requiredApprovals: 2 } },
      });
      const twoPerson = new ProposalService({
        db: knex,
        catalog: inMemoryCatalog(loadRepoCatalog()),
        notifier,
        signatures: new OpenPgpSignatureVerifier(registryKeys(signingKeys)),
        rules,
      });
      await twoPerson.claim(olivia, p.id);
      await twoPerson.approve(olivia, p.id, {});
      expect(notifier.events.at(-1)).toBe(
        `review in-review excluding ${olivia.userRef}`,
      );
      await twoPerson.claim(oscar, p.id);
      await twoPerson.approve(oscar, p.id, {});
      expect(notifier.events.at(-1)).toBe(
        `decided approved: Approved by ${olivia.userRef} and ${oscar.userRef}; an operator can apply it now`,
      );
    });
  },
);
