import {
  LoggerService,
  RootConfigService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

// On SIGTERM Backstage stops the plugins first and closes the HTTP server last. A request still
// in flight when the plugins stop fails, even though the server would wait for it: plugins call
// each other over HTTP (the permission backend, the catalog), and a stopped plugin answers 503.
// So before the plugins stop, wait for the requests in flight to end: after the
// serverShutdownDelay (readiness already 503, the load balancer stops sending), for up to
// backend.lifecycle.requestDrainTimeout (default 30 s).

const DEFAULT_DRAIN_MS = 30_000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function durationMs(config: RootConfigService, key: string, fallback: number) {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallback;
}

/** Counts requests from arrival until their response has been sent or the client went away. */
export class InFlightRequests {
  #count = 0;

  get count() {
    return this.#count;
  }

  middleware() {
    return (
      _req: unknown,
      res: { once(event: 'finish' | 'close', listener: () => void): unknown },
      next: () => void,
    ) => {
      this.#count++;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        this.#count--;
      };
      res.once('finish', end);
      res.once('close', end);
      next();
    };
  }

  /** Resolves when no request is in flight, or after `timeoutMs`. */
  async drain(timeoutMs: number, logger: LoggerService) {
    if (this.#count === 0) return;
    logger.info(
      `Shutdown waits for ${
        this.#count
      } request(s) in flight before stopping the plugins`,
    );
    const deadline = Date.now() + timeoutMs;
    while (this.#count > 0 && Date.now() < deadline) await sleep(50);
    if (this.#count > 0) {
      logger.warn(
        `Stopping the plugins with ${this.#count} request(s) still in flight`,
      );
    } else {
      logger.info('Requests in flight finished; stopping the plugins');
    }
  }
}

/**
 * Counts requests in flight on the root router's app and, at shutdown, waits for them before
 * the plugins stop. Called first in the one root HTTP router configuration (backend.ts).
 */
export function installRequestDrain(options: {
  app: { use(handler: ReturnType<InFlightRequests['middleware']>): unknown };
  lifecycle: RootLifecycleService;
  config: RootConfigService;
  logger: LoggerService;
}) {
  const { app, lifecycle, config, logger } = options;
  const inFlight = new InFlightRequests();
  app.use(inFlight.middleware());
  lifecycle.addBeforeShutdownHook(async () => {
    // The default serverShutdownDelay hook runs beside this one: wait it out first.
    await sleep(durationMs(config, 'backend.lifecycle.serverShutdownDelay', 0));
    await inFlight.drain(
      durationMs(
        config,
        'backend.lifecycle.requestDrainTimeout',
        DEFAULT_DRAIN_MS,
      ),
      logger,
    );
  });
}
