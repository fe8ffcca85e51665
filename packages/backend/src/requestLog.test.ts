import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createRequestLog } from './requestLog';

function setup() {
  const logger = mockServices.logger.mock();
  // An hour: the periodic summary never runs during a test; flush() is called instead.
  const log = createRequestLog(logger, { summaryMs: 3_600_000 });
  const app = express();
  app.use(log.middleware);
  app.get('/api/approvals/gate', (req, res) => {
    if (req.query.tenant === 'other') {
      res.status(403).json({ error: 'NotAllowedError' });
    } else res.json({ allowed: true });
  });
  app.get('/api/approvals/proposals', (_req, res) => res.json({ items: [] }));
  app.post('/api/approvals/gate', (_req, res) => res.status(201).json({}));
  app.get('/api/fabric-query/planes', (req, res) => {
    if (req.query.vlan === 'x') {
      res.status(400).json({ error: 'InputError' });
    } else res.json({ items: [] });
  });
  app.get('/api/fabric-query-lookalike/planes', (_req, res) =>
    res.json({ items: [] }),
  );
  app.get('/api/catalog/entities/by-query', (_req, res) =>
    res.json({ items: [] }),
  );
  const lines = () =>
    logger.info.mock.calls.map(([message]) => String(message));
  return { app, log, logger, lines };
}

describe('root request log', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs every request one line each, as upstream does, except successful gate reads', async () => {
    const { app, log, lines } = setup();
    await request(app).get('/api/approvals/proposals').set('User-Agent', 'ci');
    await request(app).get('/api/approvals/gate?tenant=birds&changeRef=mr!1');
    await request(app).get('/api/approvals/gate?tenant=birds&changeRef=mr!2');
    expect(lines()).toEqual([
      expect.stringMatching(
        /^\[.*\] "GET \/api\/approvals\/proposals HTTP\/1\.1" 200 \d+ "-" "ci"$/,
      ),
    ]);
    log.close();
    expect(lines()[1]).toMatch(
      /^GET \/api\/approvals\/gate: 2 successful answers from .* to .* \(not logged one by one\)$/,
    );
  });

  it('still logs a refused or failed gate request in full, and other methods on the gate path', async () => {
    const { app, log, lines } = setup();
    await request(app).get('/api/approvals/gate?tenant=other&changeRef=mr!1');
    await request(app).post('/api/approvals/gate');
    expect(lines()).toEqual([
      expect.stringContaining(
        '"GET /api/approvals/gate?tenant=other&changeRef=mr!1 HTTP/1.1" 403',
      ),
      expect.stringContaining('"POST /api/approvals/gate HTTP/1.1" 201'),
    ]);
    // Nothing counted: no summary line.
    log.close();
    expect(lines()).toHaveLength(2);
  });

  it('starts each summary where the last one ended, so no answer is counted twice', async () => {
    const { app, log, logger } = setup();
    await request(app).get('/api/approvals/gate?tenant=birds&changeRef=mr!1');
    log.flush();
    await request(app).get('/api/approvals/gate?tenant=birds&changeRef=mr!1');
    log.close();
    const summaries = logger.info.mock.calls.map(([, meta]) => meta as any);
    expect(summaries).toEqual([
      expect.objectContaining({ count: 1 }),
      expect.objectContaining({ count: 1 }),
    ]);
    expect(summaries[1].since).toBe(summaries[0].until);
  });

  it('counts successful domain questions like gate reads; refusals, look-alike paths and the catalog stay logged', async () => {
    const { app, log, lines } = setup();
    await request(app).get('/api/fabric-query/planes?vlan=140');
    await request(app).get('/api/fabric-query/planes?type=network');
    await request(app).get('/api/fabric-query/planes?vlan=x');
    await request(app).get('/api/fabric-query-lookalike/planes');
    await request(app).get('/api/catalog/entities/by-query?filter=kind=plane');
    expect(lines()).toEqual([
      expect.stringContaining(
        '"GET /api/fabric-query/planes?vlan=x HTTP/1.1" 400',
      ),
      expect.stringContaining(
        '"GET /api/fabric-query-lookalike/planes HTTP/1.1" 200',
      ),
      expect.stringContaining(
        '"GET /api/catalog/entities/by-query?filter=kind=plane HTTP/1.1" 200',
      ),
    ]);
    log.close();
    expect(lines().slice(3)).toEqual([
      expect.stringMatching(
        /^GET \/api\/fabric-query\/: 2 successful answers from .* \(not logged one by one\)$/,
      ),
    ]);
  });
});
