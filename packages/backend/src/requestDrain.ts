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

/**
 * Long polls that hold no work: the events bus answers a subscription read with 202 at once and
 * keeps the response open for up to 55 s in case an event arrives; its client simply polls again
 * when the response ends. Waiting for them made every SIGTERM wait the whole drain timeout.
 */
const HOLDS_NOTHING: ReadonlyArray<{ method: string; path: RegExp }> = [
  {
    method: 'GET',
    path: /^\/api\/events\/bus\/v1\/subscriptions\/[^/]+\/events\/?$/,
  },
];

type CountedRequest = { method?: string; path?: string; url?: string };

function requestPath(req: CountedRequest): string {
  return req.path ?? req.url?.split('?')[0] ?? '';
}

function holdsNothing(req: CountedRequest): boolean {
  const path = requestPath(req);
  return HOLDS_NOTHING.some(
    poll => poll.method === req.method && poll.path.test(path),
  );
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function durationMs(config: RootConfigService, key: string, fallback: number) {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallback;
}

type CountedResponse = {
  once(event: 'finish' | 'close', listener: () => void): unknown;
  end(): unknown;
  flushHeaders(): void;
  readonly headersSent: boolean;
  readonly socket?: { end(): unknown } | null;
};

/** Runs `done` once the response has been sent or the client went away. */
function whenDone(res: CountedResponse, done: () => void) {
  res.once('finish', done);
  res.once('close', done);
}

/** Ends a long poll as soon as it has answered, and closes its connection after the answer. */
function endPoll(res: CountedResponse) {
  const socket = res.socket;
  res.once('finish', () => socket?.end());
  if (res.headersSent) {
    res.end();
    return;
  }
  // Still reading its subscription: ending now would answer 200 with no body in place of the
  // events it read, so the handler answers first; a 202 ends right after its headers.
  const flushHeaders = res.flushHeaders.bind(res);
  res.flushHeaders = () => {
    flushHeaders();
    res.end();
  };
}

/**
 * Counts requests from arrival until their response has been sent or the client went away;
 * long polls that hold nothing (above) are not counted, only kept so shutdown can end them.
 */
export class InFlightRequests {
  /** What is in flight, as "METHOD /path" (no query string: it may carry tokens). */
  readonly #requests = new Set<{ line: string }>();
  readonly #longPolls = new Set<CountedResponse>();
  #stopping = false;

  get count() {
    return this.#requests.size;
  }

  middleware() {
    return (req: CountedRequest, res: CountedResponse, next: () => void) => {
      if (holdsNothing(req)) {
        // One arriving on a connection still busy when the server stopped is ended all the same.
        if (this.#stopping) endPoll(res);
        else {
          this.#longPolls.add(res);
          whenDone(res, () => this.#longPolls.delete(res));
        }
        next();
        return;
      }
      const entry = { line: `${req.method} ${requestPath(req)}` };
      this.#requests.add(entry);
      whenDone(res, () => this.#requests.delete(entry));
      next();
    };
  }

  /** Resolves when no request is in flight, or after `timeoutMs`. */
  async drain(timeoutMs: number, logger: LoggerService) {
    if (this.count === 0) return;
    logger.info(
      `Shutdown waits for ${
        this.count
      } request(s) in flight before stopping the plugins: ${this.describe()}`,
    );
    const deadline = Date.now() + timeoutMs;
    while (this.count > 0 && Date.now() < deadline) await sleep(50);
    if (this.count > 0) {
      logger.warn(
        `Stopping the plugins with ${
          this.count
        } request(s) still in flight: ${this.describe()}`,
      );
    } else {
      logger.info('Requests in flight finished; stopping the plugins');
    }
  }

  /**
   * Ends the long polls still open, and any arriving later, and closes their connections.
   * Upstream's HTTP server, when it stops, closes idle connections and then waits for the open
   * ones: a poll would hold the stop for up to 55 s (the bus's notify timeout), past the plugins
   * having stopped. A poll already waiting gets the empty 202 its timeout would give it; one not
   * yet answered gets its answer (202, or the events it read) and nothing more.
   */
  endLongPolls() {
    this.#stopping = true;
    for (const res of this.#longPolls) endPoll(res);
    this.#longPolls.clear();
  }

  private describe() {
    return [...this.#requests].map(entry => entry.line).join(', ');
  }
}

/**
 * Counts requests in flight on the root router's app and, at shutdown, waits for them before
 * the plugins stop; once they have, ends the long polls so the server closes at once. Called
 * first in the one root HTTP router configuration (backend.ts).
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
  // Root shutdown hooks run once the plugins have stopped, beside upstream's server stop.
  lifecycle.addShutdownHook(() => inFlight.endLongPolls());
}
