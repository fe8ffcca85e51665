import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { InFlightRequests } from './requestDrain';

// The drain waits for real requests and not for the events bus's long polls, which hold nothing
// and would otherwise make every SIGTERM wait the whole drain timeout.

type Server = { base: string; inFlight: InFlightRequests; close(): void };

async function serve(): Promise<Server> {
  const inFlight = new InFlightRequests();
  const app = express();
  app.use(inFlight.middleware());
  const open = new Set<express.Response>();
  // Both handlers answer only when the test says so (release), like a slow write and a poll.
  app.all('*', (_req, res) => {
    res.status(202);
    res.flushHeaders();
    open.add(res);
  });
  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    inFlight,
    close() {
      for (const res of open) res.end();
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Starts a request and resolves once the server has sent its headers. */
function start(base: string, method: string, path: string) {
  return new Promise<http.ClientRequest>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method }, () => resolve(req));
    req.on('error', () => {});
    req.on('timeout', () => reject(new Error('timeout')));
    req.setTimeout(10_000);
    req.end();
  });
}

describe('InFlightRequests', () => {
  let server: Server;
  beforeEach(async () => {
    server = await serve();
  });
  afterEach(() => server.close());

  it('counts a request until it ends, and does not count the events bus long poll', async () => {
    await start(
      server.base,
      'GET',
      '/api/events/bus/v1/subscriptions/catalog-1/events',
    );
    expect(server.inFlight.count).toBe(0);

    const write = await start(server.base, 'POST', '/api/approvals/proposals');
    expect(server.inFlight.count).toBe(1);

    // The client going away ends it too.
    write.destroy();
    await server.inFlight.drain(5_000, mockServices.logger.mock());
    expect(server.inFlight.count).toBe(0);
  });

  it('still counts everything that only looks like the long poll', async () => {
    // Another method, a deeper path, a path that merely contains it: all are real requests.
    await start(
      server.base,
      'PUT',
      '/api/events/bus/v1/subscriptions/catalog-1/events',
    );
    await start(
      server.base,
      'GET',
      '/api/events/bus/v1/subscriptions/a/b/events',
    );
    await start(
      server.base,
      'GET',
      '/api/approvals/x/api/events/bus/v1/subscriptions/a/events',
    );
    await start(server.base, 'POST', '/api/events/bus/v1/events');
    expect(server.inFlight.count).toBe(4);
  });

  it('drains without waiting for long polls, and gives up after the timeout on real requests', async () => {
    const logger = mockServices.logger.mock();
    await start(
      server.base,
      'GET',
      '/api/events/bus/v1/subscriptions/s/events',
    );
    // Nothing counted: the drain returns at once.
    await server.inFlight.drain(60_000, logger);
    expect(logger.info).not.toHaveBeenCalled();

    await start(server.base, 'POST', '/api/evidence/packets?token=secret');
    await server.inFlight.drain(200, logger);
    // It names what it gave up on, without the query string.
    expect(logger.warn).toHaveBeenCalledWith(
      'Stopping the plugins with 1 request(s) still in flight: POST /api/evidence/packets',
    );
  });
});
