import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import {
  CustomErrorBase,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { z } from 'zod';
import { fabricErrorHandler, parseInput } from './http';

const bodySchema = z.object({ tenant: z.string(), count: z.number().int() });

class TooLarge extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
}

function app() {
  const logger = mockServices.logger.mock();
  const router = Router();
  router.post('/things', express.json({ limit: '1kb' }), (req, res) => {
    res.json(parseInput(bodySchema, req.body, 'The thing'));
  });
  router.get('/missing', () => {
    throw new NotFoundError('no such thing');
  });
  router.get('/broken', () => {
    throw new Error('database password is hunter2');
  });
  router.get('/sibling', async () => {
    throw await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'Error', message: 'secret internals' },
          response: { statusCode: 500 },
        }),
        { status: 500, headers: { 'Content-Type': 'application/json' } },
      ),
    );
  });
  router.get('/too-large', () => {
    throw new TooLarge('the upload is 9 bytes; the limit is 8');
  });
  router.use(fabricErrorHandler(logger));
  // mockErrorHandler: the root HTTP router's error middleware, installed after every plugin.
  return { app: express().use(router).use(mockErrorHandler()), logger };
}

describe('parseInput and fabricErrorHandler', () => {
  it('answers 400 naming each bad field', async () => {
    const res = await request(app().app)
      .post('/things')
      .send({ tenant: 7, count: 1.5 });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(/^The thing is invalid:/);
    expect(res.body.error.message).toContain('tenant');
    expect(res.body.error.message).toContain('count');
  });

  it('passes valid input through', async () => {
    const res = await request(app().app)
      .post('/things')
      .send({ tenant: 'a', count: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tenant: 'a', count: 2 });
  });

  it('maps malformed JSON to 400 and an oversized body to 413', async () => {
    const malformed = await request(app().app)
      .post('/things')
      .set('Content-Type', 'application/json')
      .send('{"tenant":');
    expect(malformed.status).toBe(400);
    const huge = await request(app().app)
      .post('/things')
      .send({ tenant: 'x'.repeat(4096), count: 1 });
    expect(huge.status).toBe(413);
  });

  it('keeps the status of @backstage/errors types, in the one body shape', async () => {
    const res = await request(app().app).get('/missing');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      error: { name: 'NotFoundError', message: 'no such thing' },
      response: { statusCode: 404 },
    });
  });

  it('answers our own 413 by its name and closes the connection', async () => {
    const res = await request(app().app).get('/too-large');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      error: {
        name: 'PayloadTooLargeError',
        message: 'the upload is 9 bytes; the limit is 8',
      },
      response: { statusCode: 413 },
    });
    expect(res.headers.connection).toBe('close');
  });

  it("hides another service's failed answer like any unexpected error", async () => {
    const res = await request(app().app).get('/sibling');
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(res.body.error.message).toBe('Internal error');
  });

  it('logs an unexpected error and tells the client nothing about it', async () => {
    const { app: server, logger } = app();
    const res = await request(server).get('/broken');
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(res.body.error.message).toBe('Internal error');
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('GET /broken failed'),
    );
  });
});
