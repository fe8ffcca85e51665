import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { fabricErrorHandler } from './http';
import { JsonTextScanner, jsonBodyGuard, jsonTextProblem } from './jsonGuard';

const deep = (levels: number, open = '[', close = ']') =>
  `${open.repeat(levels)}${close.repeat(levels)}`;

describe('jsonTextProblem', () => {
  it.each([
    ['20,000 nested lists', deep(20_000), /deeper than 100 levels/],
    [
      '20,000 nested objects',
      `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
      /deeper than 100 levels/,
    ],
    ['1e999', '{"limit": 1e999}', /1e999.*finite/],
    ['-1e999', '[-1e999]', /-1e999.*finite/],
    ['a 400-digit integer', `[1${'0'.repeat(400)}]`, /finite|over 400/],
    ['a number at the very end', '1e400', /1e400/],
  ])('refuses %s', (_label, text, message) => {
    expect(jsonTextProblem(text)).toMatch(message);
  });

  it.each([
    ['100 levels', deep(100)],
    [
      'brackets and numbers inside strings',
      `{"a": "${'['.repeat(500)} 1e999"}`,
    ],
    ['escaped quotes before brackets', `["\\"${'['.repeat(300)}"]`],
    [
      'ordinary numbers',
      '[0, -1.5, 1e308, 2E-5, 123456789012345678901234567890]',
    ],
    ['true, false and null', '[true,false,null,{"e":1}]'],
    ['text that is not JSON (for the parser to name)', "{'a': 1e}"],
  ])('lets %s through', (_label, text) => {
    expect(jsonTextProblem(text)).toBeUndefined();
  });

  it('finds the problem across chunk boundaries', () => {
    const text = Buffer.from(`{"a":[1e9${'9'.repeat(5)}99]}`);
    const scanner = new JsonTextScanner();
    for (let i = 0; i < text.length; i += 3) {
      scanner.write(text.subarray(i, i + 3));
    }
    expect(scanner.end()).toMatch(/1e9999999.*finite/);
  });
});

describe('jsonBodyGuard in front of a router', () => {
  function app() {
    const logger = mockServices.logger.mock();
    const router = express.Router();
    router.post('/json', express.json({ limit: '2mb' }), (req, res) => {
      res.json({ received: req.body });
    });
    router.post('/raw', express.raw({ type: '*/*' }), (req, res) => {
      res.json({ bytes: (req.body as Buffer).length });
    });
    router.use(fabricErrorHandler(logger));
    return express()
      .use(jsonBodyGuard({ maxBytes: 1024 * 1024 }))
      .use(router)
      .use(fabricErrorHandler(logger))
      .use(mockErrorHandler());
  }

  it('hands a good body to the route unchanged', async () => {
    const body = { a: [1, 2, { b: 'c'.repeat(100_000) }], n: 1.5e300 };
    const res = await request(app()).post('/json').send(body);
    expect(res.status).toBe(200);
    expect(res.body.received).toEqual(body);
  });

  it('keeps the bytes exact for a route that reads the raw body', async () => {
    const text = `{"x": "${'é'.repeat(50_000)}"}`;
    const res = await request(app())
      .post('/raw')
      .set('Content-Type', 'application/json')
      .send(text);
    expect(res.status).toBe(200);
    expect(res.body.bytes).toBe(Buffer.byteLength(text));
  });

  it('answers 400 for 20,000 levels of nesting, before the route parses it', async () => {
    const res = await request(app())
      .post('/json')
      .set('Content-Type', 'application/json')
      .send(deep(20_000));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/deeper than 100 levels/);
  });

  it('answers 400 for a non-finite number', async () => {
    const res = await request(app())
      .post('/json')
      .set('Content-Type', 'application/json')
      .send('{"quota": 1e999}');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/1e999/);
  });

  it('answers 413 above the most any route accepts', async () => {
    const res = await request(app())
      .post('/json')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ a: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/larger than 1048576 bytes/);
  });

  it('answers 415 for compressed JSON it cannot check', async () => {
    const res = await request(app())
      .post('/json')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(Buffer.from('not really gzip'));
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(/uncompressed/);
  });

  it('leaves other content types to the route', async () => {
    const res = await request(app())
      .post('/raw')
      .set('Content-Type', 'text/plain')
      .send(deep(5000));
    expect(res.status).toBe(200);
    expect(res.body.bytes).toBe(10_000);
  });
});
