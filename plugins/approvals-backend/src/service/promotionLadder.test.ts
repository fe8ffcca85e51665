import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { proposalSubmissionSchema } from '@internal/plugin-approvals-common';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
import { applyMigrations } from '../database/migrations';
import { Actor } from './actors';
import { CatalogLookup } from './catalogChecks';
import { assertOneRungUp } from './promotionLadder';
import { ProposalService } from './ProposalService';
import { createApprovalsRules } from './rules';

// The ladders of the repository's catalog (catalog/environments.yaml): Samakia
// samakia-dev -> samakia-staging -> samakia-prod, 254Carbon carbon-local -> carbon-dev ->
// carbon-staging -> carbon-prod, Run/Operate local-parity -> dev -> prod.

const entities = loadRepoCatalog();
const catalog: CatalogLookup = {
  async getEntity(ref) {
    const wanted = ref.includes(':') ? ref : `resource:default/${ref}`;
    return entities.find(
      e => stringifyEntityRef(e).toLocaleLowerCase('en-US') === wanted,
    );
  },
};

const promotion = (from: string, to: string) => ({
  type: 'promotion' as const,
  change: {
    artefact: { kind: 'image', name: 'registry/birds-api', version: '1.4.2' },
    from,
    to,
  },
});

async function refusal(from: string, to: string): Promise<string> {
  const error = await assertOneRungUp(promotion(from, to), catalog).then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as Error).message;
}

describe('a promotion moves one rung up the catalog ladder', () => {
  it('refuses skipping a rung, naming change.to and the next rung', async () => {
    expect(await refusal('samakia-dev', 'samakia-prod')).toBe(
      'The proposal is invalid: change.to: samakia-prod is not the next rung of samakia-dev; the next rung is samakia-staging (a promotion cannot skip a rung)',
    );
    expect(await refusal('carbon-local', 'carbon-staging')).toContain(
      'the next rung is carbon-dev',
    );
  });

  it('refuses going down', async () => {
    expect(await refusal('prod', 'dev')).toContain(
      'change.to: dev is below prod on its ladder',
    );
    expect(await refusal('samakia-prod', 'samakia-dev')).toContain(
      'change.to: samakia-dev is below samakia-prod on its ladder',
    );
  });

  it('refuses crossing ladders and promoting from the top', async () => {
    expect(await refusal('dev', 'carbon-prod')).toContain(
      'carbon-prod is not the next rung of dev; the next rung is prod',
    );
    expect(await refusal('samakia-prod', 'prod')).toContain(
      'samakia-prod is the top of its ladder',
    );
  });

  it('refuses an environment the catalog does not have, naming the field', async () => {
    expect(await refusal('qa', 'prod')).toBe(
      "The proposal is invalid: change.from: resource:default/qa is not an environment of the catalog's ladders; name a catalogued environment",
    );
    expect(await refusal('dev', 'resource:default/alai-anvil')).toContain(
      'change.to: resource:default/alai-anvil is not an environment',
    );
  });

  it('accepts one rung up on each ladder, written short or as a full ref', async () => {
    for (const [from, to] of [
      ['dev', 'prod'],
      ['local-parity', 'dev'],
      ['samakia-dev', 'samakia-staging'],
      ['resource:default/samakia-staging', 'samakia-prod'],
      ['carbon-staging', 'carbon-prod'],
    ]) {
      await expect(
        assertOneRungUp(promotion(from, to), catalog),
      ).resolves.toBeUndefined();
    }
  });

  it('checks nothing for other proposal types or without a catalog', async () => {
    await expect(
      assertOneRungUp({ type: 'other', change: {} }, catalog),
    ).resolves.toBeUndefined();
    await expect(
      assertOneRungUp(promotion('samakia-dev', 'samakia-prod'), undefined),
    ).resolves.toBeUndefined();
  });
});

// Through the service on SQLite and PostgreSQL: the refusal comes before anything is stored.
jest.setTimeout(120_000);
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'promotion ladder at submit on %p',
  databaseId => {
    it('stores nothing for a skipped or descending rung, and submits one rung up', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(knex);
      const service = new ProposalService({
        db: knex,
        rules: createApprovalsRules(),
        signatures: { verify: async () => undefined } as any,
        catalog,
      });
      const tina: Actor = { userRef: 'user:default/tina', roles: ['tenant'] };
      const submission = (from: string, to: string) =>
        proposalSubmissionSchema.parse({
          tenant: 'project-birds',
          environment: to,
          title: `Promote birds-api from ${from} to ${to}`,
          ...promotion(from, to),
          packets: [{ packetId: '00000000-0000-4000-8000-0000000000e1' }],
        });
      await expect(
        service.submit(tina, submission('samakia-dev', 'samakia-prod')),
      ).rejects.toThrow('change.to: samakia-prod is not the next rung');
      await expect(service.submit(tina, submission('prod', 'dev'))).rejects.toThrow(
        'change.to: dev is below prod on its ladder',
      );
      expect(Number((await knex('approvals_proposals').count({ n: '*' }))[0].n)).toBe(0);
      const ok = await service.submit(tina, submission('dev', 'prod'));
      expect(ok.type).toBe('promotion');
      expect(Number((await knex('approvals_proposals').count({ n: '*' }))[0].n)).toBe(1);
    });
  },
);
