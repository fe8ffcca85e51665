import {
  coreServices,
  createServiceFactory,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { durationToMilliseconds } from '@backstage/types';
import { readDurationFromConfig } from '@backstage/config';

// Backstage's scheduler runs each global task once across replicas (a lock row in PostgreSQL),
// but on shutdown it only aborts the task's signal and the process exits at once: a task in the
// middle of a run (an evidence rescan, a retention pass) is cut off and its lock stays held until
// the task's timeout, so no replica runs it for up to that long. This wraps the default scheduler
// so that shutdown waits for the runs in progress, up to backend.lifecycle.taskDrainTimeout
// (default 30 s), before the process exits.
//
// Each run of a task is also logged, once when it starts and once when it ends, with the task's
// id, the time (`at`) and, for a global task, the scheduled start it runs for (the slot: the
// task row's next_run_start_at, which the scheduler moves on by one interval when the run
// ends). Local tasks log at debug level, global ones at info. Across the
// replicas' logs a slot must appear once per task: that is how an operator (and the topology
// test) checks that a task ran once per interval.

type Task = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

const DEFAULT_DRAIN_MS = 30_000;

export class DrainingScheduler implements SchedulerService {
  readonly #inner: SchedulerService;
  readonly #logger: LoggerService;
  readonly #running = new Map<Promise<void>, string>();

  readonly #released: (taskIds: string[]) => Promise<boolean>;
  readonly #slotOf: (taskId: string) => Promise<string | undefined>;

  /**
   * @param released - whether the scheduler has released the lock of each of these tasks (the
   *   default scheduler does that in its own database write right after the function returns).
   * @param slotOf - the scheduled start (ISO) a global task's current run was claimed for.
   */
  constructor(
    inner: SchedulerService,
    logger: LoggerService,
    released: (taskIds: string[]) => Promise<boolean>,
    slotOf: (taskId: string) => Promise<string | undefined> = async () =>
      undefined,
  ) {
    this.#inner = inner;
    this.#logger = logger;
    this.#released = released;
    this.#slotOf = slotOf;
  }

  triggerTask(id: string) {
    return this.#inner.triggerTask(id);
  }

  cancelTask(id: string) {
    return this.#inner.cancelTask(id);
  }

  getScheduledTasks() {
    return this.#inner.getScheduledTasks();
  }

  scheduleTask(task: Task) {
    const fn = task.fn;
    return this.#inner.scheduleTask({
      ...task,
      fn: async (signal: AbortSignal) => {
        const slot =
          task.scope === 'local'
            ? undefined
            : await this.#slotOf(task.id).catch(() => undefined);
        const meta = { task: task.id, ...(slot ? { slot } : {}) };
        // A local task runs on every replica, often: only worth a debug line.
        const log = (message: string) =>
          (task.scope === 'local'
            ? this.#logger.debug
            : this.#logger.info
          ).call(this.#logger, `Scheduled task ${task.id} ${message}`, {
            ...meta,
            at: new Date().toISOString(),
          });
        log('started');
        const run = Promise.resolve().then(() => fn(signal));
        const tracked = run.then(
          () => {},
          () => {},
        );
        this.#running.set(tracked, task.id);
        try {
          await run;
          log('finished');
        } catch (error) {
          log('failed');
          throw error;
        } finally {
          this.#running.delete(tracked);
        }
      },
    });
  }

  // The default runner calls its own scheduleTask; go through ours so the runs are tracked.
  createScheduledTaskRunner(schedule: SchedulerServiceTaskScheduleDefinition) {
    return {
      run: (task: SchedulerServiceTaskInvocationDefinition) =>
        this.scheduleTask({ ...task, ...schedule }),
    };
  }

  /** Task ids running right now in this process. */
  runningTasks(): string[] {
    return [...this.#running.values()];
  }

  /** Resolves once no run is in progress, or after `timeoutMs` (then logs what was cut off). */
  async drain(timeoutMs: number): Promise<void> {
    if (this.#running.size === 0) return;
    this.#logger.info(
      `Waiting for scheduled tasks to finish before shutdown: ${this.runningTasks().join(
        ', ',
      )}`,
    );
    const deadline = Date.now() + timeoutMs;
    const ran = this.runningTasks();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(resolve => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    for (;;) {
      const pending = [...this.#running.keys()];
      if (pending.length === 0) break;
      const outcome = await Promise.race([Promise.all(pending), timedOut]);
      if (outcome === 'timeout') {
        this.#logger.warn(
          `Shutting down with scheduled tasks still running: ${this.runningTasks().join(
            ', ',
          )}`,
        );
        break;
      }
    }
    clearTimeout(timer);
    // The scheduler releases each task's lock right after its function returns; wait for that
    // write, or the next replica would find the task still taken until its timeout.
    while (Date.now() < deadline) {
      if (await this.#released(ran).catch(() => false)) return;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
}

/** Replaces the default scheduler service: the same scheduler, drained on shutdown. */
export const drainingSchedulerServiceFactory = createServiceFactory({
  service: coreServices.scheduler,
  deps: {
    config: coreServices.rootConfig,
    database: coreServices.database,
    logger: coreServices.logger,
    rootLifecycle: coreServices.rootLifecycle,
    httpRouter: coreServices.httpRouter,
    pluginMetadata: coreServices.pluginMetadata,
    metrics: metricsServiceRef,
  },
  async factory({
    config,
    database,
    logger,
    rootLifecycle,
    httpRouter,
    pluginMetadata,
    metrics,
  }) {
    const scheduler = new DrainingScheduler(
      DefaultSchedulerService.create({
        database,
        logger,
        rootLifecycle,
        httpRouter,
        pluginMetadata,
        metrics,
      }),
      logger,
      async taskIds => {
        const db = await database.getClient();
        const taken = await db('backstage_backend_tasks__tasks')
          .whereIn('id', taskIds)
          .whereNotNull('current_run_ticket')
          .count({ n: '*' });
        return Number(taken[0].n) === 0;
      },
      async taskId => {
        // Read inside the run: the row still holds the start this run was claimed for.
        const db = await database.getClient();
        const row = await db('backstage_backend_tasks__tasks')
          .where('id', taskId)
          .first('next_run_start_at');
        const at = row?.next_run_start_at;
        if (!at) return undefined;
        return (at instanceof Date ? at : new Date(`${at}Z`)).toISOString();
      },
    );
    const drainMs = config.has('backend.lifecycle.taskDrainTimeout')
      ? durationToMilliseconds(
          readDurationFromConfig(config, {
            key: 'backend.lifecycle.taskDrainTimeout',
          }),
        )
      : DEFAULT_DRAIN_MS;
    rootLifecycle.addShutdownHook(() => scheduler.drain(drainMs));
    return scheduler;
  },
});
