import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withLock } from './imageLock';

// The image build's lock must not outlive a killed run: a lock whose process is gone is taken
// over, a lock whose process lives is waited for.

describe('withLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes over a lock left by a process that no longer runs', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    const lock = path.join(dir, 'layer.lock');
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), String(gone));

    await expect(
      withLock(path.join(dir, 'layer'), () => 'built'),
    ).resolves.toBe('built');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('waits while the process holding the lock runs', async () => {
    const lock = path.join(dir, 'layer.lock');
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));

    let entered = false;
    const run = withLock(path.join(dir, 'layer'), () => {
      entered = true;
    });
    await new Promise(r => setTimeout(r, 3000));
    expect(entered).toBe(false);
    // The holder finishes: the waiter gets the lock on its next try.
    fs.rmSync(lock, { recursive: true });
    await run;
    expect(entered).toBe(true);
  });

  it('takes over a lock without a pid only once it is an hour old', async () => {
    const lock = path.join(dir, 'layer.lock');
    fs.mkdirSync(lock);
    const hourAgo = new Date(Date.now() - 61 * 60_000);
    fs.utimesSync(lock, hourAgo, hourAgo);
    await expect(
      withLock(path.join(dir, 'layer'), () => 'built'),
    ).resolves.toBe('built');
  });
});
