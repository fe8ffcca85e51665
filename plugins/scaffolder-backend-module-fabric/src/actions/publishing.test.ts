import fs from 'node:fs';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockServices } from '@backstage/backend-test-utils';
import { LocalRepositories } from '../lib/localRepos';
import { actionContext, outputsOf } from '../__testUtils__/fixtures';
import { createCatalogRegisterAction } from './catalogRegister';
import { createPublishLocalAction } from './publishLocal';

const siteYaml = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: alai-shop-web
spec:
  type: website
  owner: web-team
  lifecycle: experimental
`;

describe('local publishing', () => {
  const mockDir = createMockDirectory();
  const auth = mockServices.auth();
  let repos: LocalRepositories;

  beforeEach(async () => {
    mockDir.clear();
    mockDir.setContent({
      'workspace/catalog-info.yaml': siteYaml,
      'workspace/index.html': '<h1/>',
    });
    repos = await LocalRepositories.create(mockDir.resolve('repos'));
  });

  const ctxFor = (input: Record<string, unknown>, isDryRun = false) => ({
    ...actionContext(input, {
      workspacePath: mockDir.resolve('workspace'),
      isDryRun,
    }),
    task: { id: 'task-1' },
  });

  it('fabric:publish:local commits the workspace; a dry run writes nothing', async () => {
    const action = createPublishLocalAction({ localRepos: repos });
    const dry = ctxFor({ repoName: 'alai-shop-web' }, true);
    await action.handler(dry as any);
    expect(outputsOf(dry)).toMatchObject({
      commitHash: 'dry-run',
      files: ['catalog-info.yaml', 'index.html'],
    });
    expect(await repos.exists('alai-shop-web')).toBe(false);

    const ctx = ctxFor({ repoName: 'alai-shop-web', commitMessage: 'hello' });
    await action.handler(ctx as any);
    expect(outputsOf(ctx).files).toEqual(['catalog-info.yaml', 'index.html']);
    expect(outputsOf(ctx).commitHash).toMatch(/^[0-9a-f]{40}$/);
    await expect(
      action.handler(ctxFor({ repoName: 'alai-shop-web' }) as any),
    ).rejects.toThrow('already exists');
    await expect(
      action.handler(ctxFor({ repoName: 'a/b' }) as any),
    ).rejects.toThrow(/repoName: .* is not a repository name/);
  });

  it('fabric:publish:local refuses to run when local publishing is not configured', async () => {
    const action = createPublishLocalAction({});
    await expect(
      action.handler(ctxFor({ repoName: 'x' }) as any),
    ).rejects.toThrow('Local publishing is not configured');
  });

  it('fabric:catalog:register registers the file location as the user and waits for the entity', async () => {
    await repos.publish({
      name: 'alai-shop-web',
      sourceDir: mockDir.resolve('workspace'),
      message: 'm',
      author: { name: 'a', email: 'a@b.c' },
      taskId: 'task-1',
    });
    const target = path.join(repos.root, 'alai-shop-web/catalog-info.yaml');
    let registered = false;
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(async (req: any) => {
        if (!req.dryRun) registered = true;
        return {
          location: { id: 'loc-1', type: 'file', target: req.target },
          entities: req.dryRun
            ? [
                {
                  apiVersion: 'backstage.io/v1alpha1',
                  kind: 'Location',
                  metadata: { name: 'generated' },
                },
                {
                  apiVersion: 'backstage.io/v1alpha1',
                  kind: 'Component',
                  metadata: { name: 'alai-shop-web', namespace: 'default' },
                },
              ]
            : [],
          exists: false,
        } as any;
      }),
      // Not there before registering, there right after.
      getEntityByRef: jest.fn(async () =>
        registered ? ({ kind: 'Component' } as any) : undefined,
      ),
    });
    const action = createCatalogRegisterAction({
      catalog,
      auth,
      localRepos: repos,
      timeoutMs: 5000,
    });
    const ctx = ctxFor({ repoName: 'alai-shop-web' });
    await action.handler(ctx as any);
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'component:default/alai-shop-web',
      entityRefs: ['component:default/alai-shop-web'],
      locationId: 'loc-1',
    });
    const calls = (catalog.addLocation as jest.Mock).mock.calls;
    expect(calls.map(c => c[0])).toEqual([
      { type: 'file', target, dryRun: true },
      { type: 'file', target },
    ]);
    expect(calls[1][1].credentials.principal.userEntityRef).toBe(
      'user:default/olivia.operator',
    );
  });

  it('fabric:catalog:register rolls back the location and the repository when the entity never shows up', async () => {
    await repos.publish({
      name: 'alai-shop-web',
      sourceDir: mockDir.resolve('workspace'),
      message: 'm',
      author: { name: 'a', email: 'a@b.c' },
      taskId: 'task-1',
    });
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(async (req: any) => ({
        location: { id: 'loc-2', type: 'file', target: req.target },
        entities: [
          {
            kind: 'Component',
            metadata: { name: 'alai-shop-web', namespace: 'default' },
          },
        ],
        exists: false,
      })) as any,
      getEntityByRef: jest.fn(async () => undefined),
      removeLocationById: jest.fn(async () => undefined),
    });
    const action = createCatalogRegisterAction({
      catalog,
      auth,
      localRepos: repos,
      timeoutMs: 300,
    });
    await expect(
      action.handler(ctxFor({ repoName: 'alai-shop-web' }) as any),
    ).rejects.toThrow('did not ingest component:default/alai-shop-web');
    expect(catalog.removeLocationById).toHaveBeenCalledWith(
      'loc-2',
      expect.anything(),
    );
    expect(fs.existsSync(path.join(repos.root, 'alai-shop-web'))).toBe(false);
  });

  it('fabric:catalog:register refuses an entity that exists and keeps repositories of other tasks', async () => {
    await repos.publish({
      name: 'alai-shop-web',
      sourceDir: mockDir.resolve('workspace'),
      message: 'm',
      author: { name: 'a', email: 'a@b.c' },
      taskId: 'an-earlier-task',
    });
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(async () => ({
        location: { id: 'x', type: 'file', target: 't' },
        entities: [
          {
            kind: 'Component',
            metadata: { name: 'alai-shop-web', namespace: 'default' },
          },
        ],
        exists: false,
      })) as any,
      getEntityByRef: jest.fn(async () => ({ kind: 'Component' } as any)),
    });
    const action = createCatalogRegisterAction({
      catalog,
      auth,
      localRepos: repos,
      timeoutMs: 300,
    });
    await expect(
      action.handler(ctxFor({ repoName: 'alai-shop-web' }) as any),
    ).rejects.toThrow(
      'component:default/alai-shop-web already exists in the catalog',
    );
    // Only the dry run reached the catalog; the repository of the other task stays.
    expect((catalog.addLocation as jest.Mock).mock.calls).toHaveLength(1);
    expect(await repos.exists('alai-shop-web')).toBe(true);
  });

  it('fabric:catalog:register in a dry run reads the workspace and registers nothing', async () => {
    const catalog = catalogServiceMock.mock();
    const action = createCatalogRegisterAction({
      catalog,
      auth,
      localRepos: repos,
      timeoutMs: 300,
    });
    const ctx = ctxFor({ repoName: 'alai-shop-web' }, true);
    await action.handler(ctx as any);
    expect(outputsOf(ctx).entityRef).toBe('component:default/alai-shop-web');
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });
});
