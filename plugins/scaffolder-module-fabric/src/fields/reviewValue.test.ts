import { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  BIRDS,
  DEV,
  PROD,
  driftApi,
  evidenceApi,
  packets,
  runs,
} from '../__testUtils__/citations';
import { birds } from '../__testUtils__/harness';
import {
  ReviewApis,
  ReviewValueUiOptions,
  describeForReview,
  readReviewValueOptions,
} from './reviewValue';

const titled = (entity: Entity, title: string): Entity => ({
  ...entity,
  metadata: { ...entity.metadata, title },
});

const environment = (name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', title },
  spec: { type: 'environment', owner: 'group:default/platform-operators' },
});

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'web-team', namespace: 'default' },
  spec: { type: 'team', profile: { displayName: 'Web team' }, children: [] },
};

function apis(over: Partial<ReviewApis> = {}): ReviewApis {
  return {
    catalogApi: catalogApiMock({
      entities: [
        titled(birds(), 'Project Birds'),
        environment('samakia-prod', 'Samakia production'),
        environment('samakia-dev', 'Samakia dev'),
        team,
      ],
    }),
    evidenceApi: evidenceApi(),
    driftApi: driftApi(),
    ...over,
  };
}

const reviewValueOf = (
  uiOptions: ReviewValueUiOptions,
  form: Record<string, any>,
  readers: ReviewApis = apis(),
) => describeForReview(readReviewValueOptions(uiOptions)!, form, readers);

describe('the Review value of a picked entity', () => {
  it('is its title, not its ref', async () => {
    expect(await reviewValueOf({ of: 'tenant' }, { tenant: BIRDS })).toBe(
      'Project Birds',
    );
    expect(
      await reviewValueOf({ of: 'environment' }, { environment: PROD }),
    ).toBe('Samakia production');
  });

  it("is a user's or group's display name, for a bare name of the default kind too", async () => {
    expect(
      await reviewValueOf(
        { of: 'owner', defaultKind: 'Group' },
        { owner: 'web-team' },
      ),
    ).toBe('Web team');
  });

  it('lists the titles of several, and of the refs inside each item of a list', async () => {
    expect(
      await reviewValueOf(
        { of: 'environments' },
        { environments: [DEV, PROD] },
      ),
    ).toEqual(['Samakia dev', 'Samakia production']);
    const binding = { workload: 'api', consumer: 'postgres', environment: DEV };
    expect(
      await reviewValueOf(
        { of: 'bindings', at: 'environment' },
        { bindings: [binding] },
      ),
    ).toEqual([{ ...binding, environment: 'Samakia dev' }]);
  });

  it('asks the catalog once, for each ref once', async () => {
    const catalogApi = {
      getEntitiesByRefs: jest.fn(async () => ({ items: [] })),
    };
    await reviewValueOf(
      { of: 'environments' },
      { environments: [DEV, DEV, 'resource:default/samakia-staging'] },
      apis({ catalogApi }),
    );
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: [DEV, 'resource:default/samakia-staging'],
      fields: expect.arrayContaining(['metadata.title']),
    });
  });

  it('falls back to the name when the entity cannot be read, and never fails', async () => {
    expect(
      await reviewValueOf(
        { of: 'site' },
        { site: 'component:default/gone-web' },
      ),
    ).toBe('gone-web');
    const catalogApi = {
      getEntitiesByRefs: jest.fn(async () => {
        throw new Error('Service Unavailable');
      }),
    };
    expect(
      await reviewValueOf(
        { of: 'tenant' },
        { tenant: BIRDS },
        apis({ catalogApi }),
      ),
    ).toBe('project-birds');
  });

  it('is nothing while nothing is picked', async () => {
    expect(await reviewValueOf({ of: 'tenant' }, {})).toBeUndefined();
    expect(
      await reviewValueOf({ of: 'environments' }, { environments: [] }),
    ).toBeUndefined();
  });
});

describe('the Review value of cited evidence packets', () => {
  const options: ReviewValueUiOptions = {
    of: 'packets',
    as: 'evidence-packets',
  };

  it('reads "kind — title" for each, from the packets of the chosen tenant', async () => {
    const readers = apis();
    expect(
      await reviewValueOf(
        options,
        {
          tenant: BIRDS,
          packets: [
            { packetId: packets.accepted.id, kind: 'verification' },
            { packetId: packets.olderVerified.id, kind: 'eval-report' },
          ],
        },
        readers,
      ),
    ).toEqual([
      'Verification — Birds capacity acceptance',
      'Evaluation report — Birds plan',
    ]);
    expect(readers.evidenceApi.listPackets).toHaveBeenCalledWith({
      tenant: BIRDS,
      limit: 200,
    });
  });

  it('names a packet it cannot read by its short id', async () => {
    expect(
      await reviewValueOf(options, {
        tenant: BIRDS,
        packets: [{ packetId: packets.orchard.id, kind: 'plan' }],
      }),
    ).toEqual(['Plan — 9f1c2d3e']);
  });

  it('says none is cited, and reads nothing then', async () => {
    const readers = apis();
    expect(
      await reviewValueOf(options, { tenant: BIRDS, packets: [] }, readers),
    ).toEqual(['None cited']);
    expect(readers.evidenceApi.listPackets).not.toHaveBeenCalled();
  });
});

describe('the Review value of cited drift runs', () => {
  const options: ReviewValueUiOptions = { of: 'driftRuns', as: 'drift-runs' };

  it('reads "date — verdict (source)" for each, from the runs of the tenant in the environment', async () => {
    const readers = apis();
    expect(
      await reviewValueOf(
        options,
        {
          tenant: BIRDS,
          environment: PROD,
          driftRuns: [runs.failing.id, runs.earlierPass.id],
        },
        readers,
      ),
    ).toEqual([
      '2026-11-20 10:00 UTC — FAIL (ci/drift-nightly)',
      '2026-11-19 10:00 UTC — PASS (ci/drift-nightly)',
    ]);
    expect(readers.driftApi.getHistory).toHaveBeenCalledWith({
      tenant: BIRDS,
      environment: PROD,
      limit: 20,
    });
  });

  it('names a run it cannot read by its short id', async () => {
    const failing = driftApi(async () => {
      throw new Error('Service Unavailable');
    });
    expect(
      await reviewValueOf(
        options,
        { tenant: BIRDS, environment: PROD, driftRuns: [runs.failing.id] },
        apis({ driftApi: failing }),
      ),
    ).toEqual(['Drift run 11111111']);
  });
});

describe('the options of FabricReviewValue', () => {
  it('name the field and default to entities', () => {
    expect(readReviewValueOptions({ of: 'tenant' })).toMatchObject({
      of: 'tenant',
      as: 'entities',
      tenantField: 'tenant',
      environmentField: 'environment',
    });
  });

  it('are refused without a field to name, or with an unknown kind', () => {
    expect(readReviewValueOptions(undefined)).toBeUndefined();
    expect(
      readReviewValueOptions({ of: 'tenant', as: 'runbooks' }),
    ).toBeUndefined();
  });
});
