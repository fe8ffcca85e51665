import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NextFunction, Request, Response } from 'express';

/**
 * Read routes CI polls many times a second, whose successful answers are counted instead of
 * logged one line each: a log line costs more CPU than the gate's own answer (winston formats
 * every line, whatever its level). Refusals and errors on them are still logged in full.
 */
export const QUIET_ROUTES: ReadonlyArray<{ method: string; prefix: string }> = [
  { method: 'GET', prefix: '/api/approvals/gate' },
  // The domain query API (fabric-query): read-only questions CI asks in bursts.
  { method: 'GET', prefix: '/api/fabric-query/' },
  { method: 'GET', prefix: '/.backstage/health/' },
];

export interface RequestLog {
  middleware(req: Request, res: Response, next: NextFunction): void;
  /** Writes the counts of quiet answers since the last call (one line per route) and resets. */
  flush(): void;
  /** Stops the periodic flush (after a last one). */
  close(): void;
}

function quietRoute(req: Request): string | undefined {
  const url = req.originalUrl ?? req.url;
  for (const route of QUIET_ROUTES) {
    if (req.method === route.method && url.startsWith(route.prefix)) {
      return `${route.method} ${route.prefix}`;
    }
  }
  return undefined;
}

/**
 * The root request log: upstream's line (`MiddlewareFactory.logging`, same text and fields)
 * for every request, except successful answers on {@link QUIET_ROUTES}, which are counted and
 * written as one summary line per route every `summaryMs` (default a minute).
 */
export function createRequestLog(
  logger: LoggerService,
  options: { summaryMs?: number } = {},
): RequestLog {
  const counts = new Map<string, number>();
  let since = new Date().toISOString();
  const flush = () => {
    const until = new Date().toISOString();
    for (const [route, count] of counts) {
      logger.info(
        `${route}: ${count} successful answers from ${since} to ${until} (not logged one by one)`,
        { type: 'incomingRequestSummary', route, count, since, until },
      );
    }
    counts.clear();
    since = until;
  };
  const timer = setInterval(flush, options.summaryMs ?? 60_000);
  timer.unref();
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => {
      const route = quietRoute(req);
      if (route && res.statusCode < 400) {
        counts.set(route, (counts.get(route) ?? 0) + 1);
        return;
      }
      const referrer = req.headers.referer ?? req.headers.referrer;
      const userAgent = req.headers['user-agent'];
      const contentLength = Number(res.getHeader('content-length'));
      const meta = {
        date: new Date().toISOString(),
        method: req.method,
        url: req.originalUrl ?? req.url,
        status: res.statusCode,
        httpVersion: `${req.httpVersionMajor}.${req.httpVersionMinor}`,
        ...(userAgent ? { userAgent } : {}),
        ...(Number.isFinite(contentLength) ? { contentLength } : {}),
        ...(referrer
          ? {
              referrer: Array.isArray(referrer)
                ? referrer.join(', ')
                : referrer,
            }
          : {}),
      };
      logger.info(
        `[${meta.date}] "${meta.method} ${meta.url} HTTP/${meta.httpVersion}" ${
          meta.status
        } ${meta.contentLength ?? 0} "${meta.referrer ?? '-'}" "${
          meta.userAgent ?? '-'
        }"`,
        { type: 'incomingRequest', ...meta },
      );
    });
    next();
  };
  return {
    middleware,
    flush,
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
