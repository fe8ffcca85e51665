import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { z } from 'zod';
import { fabricErrorHandler, parseInput } from './http';

const bodySchema = z.object({ tenant: z.string(), count: z.number().int() });

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
  router.use(fabricErrorHandler(logger));
  return { app: express().use(router), logger };
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

  it('keeps the status of @backstage/errors types', async () => {
    const res = await request(app().app).get('/missing');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('no such thing');
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
