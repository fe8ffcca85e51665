import fs from 'node:fs';
import path from 'node:path';

const LOCK_WITHOUT_PID_MS = 60 * 60_000;

/** Whether the process that wrote a lock is gone (a run killed while it held the lock). */
function lockOwnerGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    // Just created, its pid not written yet (leave it), or left by a version that wrote no
    // pid: no build holds the lock for an hour.
    try {
      return Date.now() - fs.statSync(lock).mtimeMs > LOCK_WITHOUT_PID_MS;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Runs `fn` holding a lock shared by the test files that build the image (a directory, created
 * atomically). The lock names its process, so a lock left by a run that was killed is taken over
 * instead of blocking every later run on this machine.
 */
export async function withLock<T>(
  dir: string,
  fn: () => Promise<T> | T,
): Promise<T> {
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (lockOwnerGone(lock)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      await new Promise(r => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
