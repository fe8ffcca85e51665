import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { InFlightRequests } from './requestDrain';

// The drain waits for real requests and not for the events bus's long polls, which hold nothing
// and would otherwise make every SIGTERM wait the whole drain timeout.

type Server = {
  base: string;
  inFlight: InFlightRequests;
  http: http.Server;
  close(): void;
};

async function serve(routes?: (app: express.Express) => void): Promise<Server> {
  const inFlight = new InFlightRequests();
  const app = express();
  app.use(inFlight.middleware());
  const open = new Set<express.Response>();
  routes?.(app);
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
    http: server,
    close() {
      for (const res of open) res.end();
      server.closeAllConnections();
      server.close();
    },
  };
}

type Started = http.ClientRequest & { response: http.IncomingMessage };

/** Starts a request and resolves once the server has sent its headers. */
function start(base: string, method: string, path: string) {
  return new Promise<Started>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method }, response =>
      resolve(Object.assign(req, { response })),
    );
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

  it('ends the long polls it holds, so the server stops without waiting for them', async () => {
    const poll = await start(
      server.base,
      'GET',
      '/api/events/bus/v1/subscriptions/catalog-1/events',
    );
    const body = new Promise<string>((resolve, reject) => {
      let text = '';
      poll.response.setEncoding('utf8');
      poll.response.on('data', chunk => (text += chunk));
      poll.response.once('end', () => resolve(text));
      poll.response.once('error', reject);
    });
    const pollClosed = new Promise(r => poll.socket!.once('close', r));
    const write = await start(server.base, 'POST', '/api/approvals/proposals');

    // What upstream's server stop does: close idle connections, then wait for the open ones.
    let stopped = false;
    server.http.closeIdleConnections();
    server.http.close(() => (stopped = true));

    server.inFlight.endLongPolls();
    // The poll gets a complete, empty answer (what its timeout gives it) and its connection
    // closes; the real request is left alone, still open and still counted.
    await expect(body).resolves.toBe('');
    await pollClosed;
    expect(write.socket!.destroyed).toBe(false);
    expect(server.inFlight.count).toBe(1);
    expect(stopped).toBe(false);
    // Once the real request ends, the server has nothing left to wait for.
    write.destroy();
    await new Promise(r => server.http.once('close', r));
    expect(stopped).toBe(true);
    // Ending them again, with none left, is harmless.
    server.inFlight.endLongPolls();
  });

  it('lets a poll not yet answered answer first, then ends it; a poll arriving later too', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>(r => (release = r));
    let arrive: () => void = () => {};
    let waiting = 0;
    const bothWaiting = new Promise<void>(r => (arrive = r));
    // Like the bus: reads the subscription, then answers its events or holds a 202.
    const polls = await serve(app =>
      app.get(
        '/api/events/bus/v1/subscriptions/:id/events',
        async (req, res) => {
          if (req.params.id !== 'after' && ++waiting === 2) arrive();
          if (req.params.id === 'late') await released;
          if (req.params.id === 'has-events') {
            await released;
            res.json({ events: [{ topic: 't', payload: 1 }] });
            return;
          }
          res.status(202);
          res.flushHeaders();
        },
      ),
    );
    const bus = `${polls.base}/api/events/bus/v1/subscriptions`;
    const inFlight = polls.inFlight;
    try {
      const late = fetch(`${bus}/late/events`);
      const withEvents = fetch(`${bus}/has-events/events`);
      await bothWaiting; // both are in their handler, headers not sent
      inFlight.endLongPolls();
      release();
      const lateRes = await late;
      expect(lateRes.status).toBe(202);
      expect(await lateRes.text()).toBe('');
      const eventsRes = await withEvents;
      expect(eventsRes.status).toBe(200);
      expect(await eventsRes.json()).toEqual({
        events: [{ topic: 't', payload: 1 }],
      });
      // A poll arriving after the stop began is answered and ended too.
      const after = await fetch(`${bus}/after/events`);
      expect(after.status).toBe(202);
      expect(await after.text()).toBe('');
    } finally {
      polls.close();
    }
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
