import fs from 'node:fs';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import git from 'isomorphic-git';
import { LocalRepositories } from './localRepos';

describe('LocalRepositories', () => {
  const mockDir = createMockDirectory();
  const author = { name: 'Olivia Operator', email: 'olivia@example.test' };

  beforeEach(() => mockDir.clear());

  it('commits the files into a new repository, authored by the user', async () => {
    mockDir.setContent({
      'ws/catalog-info.yaml': 'kind: Component\n',
      'ws/docs/index.md': '# Hi\n',
      'ws/.git/config': 'ignored',
    });
    const repos = await LocalRepositories.create(mockDir.resolve('repos'));
    const repo = await repos.publish({
      name: 'alai-shop-web',
      sourceDir: mockDir.resolve('ws'),
      message: 'first',
      author,
      taskId: 'task-1',
    });
    expect(repo.url).toBe(
      `file://${fs.realpathSync(mockDir.resolve('repos'))}/alai-shop-web`,
    );
    expect(await repos.committedFiles('alai-shop-web')).toEqual([
      'catalog-info.yaml',
      'docs/index.md',
    ]);
    const [log] = await git.log({ fs, dir: repo.dir, depth: 1 });
    expect(log.oid).toBe(repo.commit);
    expect(log.commit.author).toMatchObject(author);
    expect(log.commit.message).toBe('first\n');
    // Nothing is left in the data directory but the repository.
    expect(fs.readdirSync(repos.root)).toEqual(['alai-shop-web']);
  });

  it('never overwrites a repository and refuses names that leave the directory', async () => {
    mockDir.setContent({ 'ws/a.txt': 'a', 'repos/taken/file': 'x' });
    const repos = await LocalRepositories.create(mockDir.resolve('repos'));
    const publish = (name: string) =>
      repos.publish({
        name,
        sourceDir: mockDir.resolve('ws'),
        message: 'm',
        author,
        taskId: 't',
      });
    await expect(publish('taken')).rejects.toThrow('already exists');
    await expect(publish('../escape')).rejects.toThrow(
      'is not a repository name',
    );
    await expect(publish('Upper')).rejects.toThrow('is not a repository name');
    expect(fs.existsSync(mockDir.resolve('escape'))).toBe(false);
  });

  it('refuses symbolic links in what it publishes and in paths it registers', async () => {
    mockDir.setContent({
      'ws/a.txt': 'a',
      'outside/secret.yaml': 'kind: User\n',
    });
    fs.symlinkSync(
      mockDir.resolve('outside/secret.yaml'),
      mockDir.resolve('ws/link.yaml'),
    );
    const repos = await LocalRepositories.create(mockDir.resolve('repos'));
    await expect(
      repos.publish({
        name: 'r1',
        sourceDir: mockDir.resolve('ws'),
        message: 'm',
        author,
        taskId: 't',
      }),
    ).rejects.toThrow('link.yaml is a symbolic link');
    expect(await repos.exists('r1')).toBe(false);

    fs.unlinkSync(mockDir.resolve('ws/link.yaml'));
    await repos.publish({
      name: 'r2',
      sourceDir: mockDir.resolve('ws'),
      message: 'm',
      author,
      taskId: 't',
    });
    fs.symlinkSync(
      mockDir.resolve('outside/secret.yaml'),
      path.join(repos.root, 'r2/evil.yaml'),
    );
    // Refused whichever check sees it first (the path check follows symlinks too).
    await expect(repos.fileIn('r2', 'evil.yaml')).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(
      repos.fileIn('r2', '../../outside/secret.yaml'),
    ).rejects.toThrow('is not a path inside repository r2');
    await expect(repos.fileIn('r2', 'a.txt')).resolves.toBe(
      path.join(repos.root, 'r2/a.txt'),
    );
  });

  it('removes a repository only for the task that created it', async () => {
    mockDir.setContent({ 'ws/a.txt': 'a' });
    const repos = await LocalRepositories.create(mockDir.resolve('repos'));
    await repos.publish({
      name: 'mine',
      sourceDir: mockDir.resolve('ws'),
      message: 'm',
      author,
      taskId: 'task-a',
    });
    expect(await repos.removeIfCreatedBy('mine', 'task-b')).toBe(false);
    expect(await repos.exists('mine')).toBe(true);
    expect(await repos.removeIfCreatedBy('mine', 'task-a')).toBe(true);
    expect(await repos.exists('mine')).toBe(false);
  });
});
