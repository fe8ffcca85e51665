import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { Knex } from 'knex';
import { drainingSchedulerServiceFactory } from './drainingScheduler';
import { freePort } from './__tests__/support/bootBackend';

// A real backend (the default services, SQLite) with one plugin whose scheduled task is in the
// middle of a run when the backend is told to stop. With the default scheduler, stop() returns
// while the run goes on and its lock row stays taken (on a real exit: until the task's timeout,
// for every replica). With the draining scheduler, stop() returns only after the run finished
// and the scheduler released the lock.

jest.setTimeout(60_000);

async function backendWithRunningTask(drain: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-drain-'));
  const port = await freePort();
  const configFile = path.join(dir, 'app-config.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { host: '127.0.0.1', port },
        database: {
          client: 'better-sqlite3',
          connection: { directory: dir },
        },
      },
    }),
  );
  const events: string[] = [];
  let started!: () => void;
  const running = new Promise<void>(resolve => {
    started = resolve;
  });
  let finished!: () => void;
  const runFinished = new Promise<void>(resolve => {
    finished = resolve;
  });
  let db: Knex | undefined;
  const backend = createBackend();
  backend.add(
    rootConfigServiceFactory({
      argv: ['node', 'backend', '--config', configFile],
      watch: false,
    }),
  );
  if (drain) backend.add(drainingSchedulerServiceFactory);
  backend.add(
    createBackendPlugin({
      pluginId: 'drainprobe',
      register(env) {
        env.registerInit({
          deps: {
            scheduler: coreServices.scheduler,
            database: coreServices.database,
          },
          async init({ scheduler, database }) {
            db = await database.getClient();
            await scheduler.scheduleTask({
              id: 'drainprobe-long-run',
              frequency: { hours: 1 },
              timeout: { hours: 1 },
              fn: async (signal: AbortSignal) => {
                events.push('run started');
                started();
                // The run notices the shutdown but still has its last step to finish.
                await new Promise<void>(resolve =>
                  signal.addEventListener('abort', () => resolve()),
                );
                events.push('shutdown noticed');
                await sleep(500);
                events.push('run finished');
                finished();
              },
            });
          },
        });
      },
    }),
  );
  await backend.start();
  await running;
  return {
    events,
    /** Resolves when the task's run has ended (whether or not the backend waited for it). */
    runFinished,
    async stop() {
      await backend.stop();
      events.push('backend stopped');
    },
    async lock() {
      const [row] = await db!('backstage_backend_tasks__tasks')
        .where({ id: 'drainprobe-long-run' })
        .select('current_run_ticket');
      return row?.current_run_ticket ?? null;
    },
    async cleanup() {
      await db?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('drainingSchedulerServiceFactory', () => {
  it('waits for the task run in progress and its lock release before the backend stops', async () => {
    const backend = await backendWithRunningTask(true);
    try {
      expect(await backend.lock()).not.toBeNull();
      await backend.stop();
      expect(backend.events).toEqual([
        'run started',
        'shutdown noticed',
        'run finished',
        'backend stopped',
      ]);
      // The next replica can take the task at once.
      expect(await backend.lock()).toBeNull();
    } finally {
      await backend.cleanup();
    }
  });

  it('(the default scheduler, for contrast) stops while the run is still going and leaves the lock taken', async () => {
    const backend = await backendWithRunningTask(false);
    try {
      await backend.stop();
      expect(backend.events).toEqual([
        'run started',
        'shutdown noticed',
        'backend stopped',
      ]);
      expect(await backend.lock()).not.toBeNull();
    } finally {
      // Let the abandoned run end before the folder goes.
      await backend.runFinished;
      await backend.cleanup();
    }
  });
});
