import express from 'express';
import request from 'supertest';
import {
  carriesPluginToken,
  compressionExceptPluginCalls,
} from './pluginCallCompression';

const segment = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token shaped like Backstage's: header.payload.signature (never verified here). */
const jwt = (typ: string) =>
  `${segment({ typ, alg: 'ES256', kid: 'k' })}.${segment({
    sub: 'plugin:fabric-query',
  })}.c2ln`;
const PLUGIN_TOKEN = jwt('vnd.backstage.plugin');
const USER_TOKEN = jwt('vnd.backstage.user');

function app() {
  const a = express();
  a.use(compressionExceptPluginCalls());
  // 20 KB of JSON: well above compression's 1 KB threshold.
  a.get('/big', (_req, res) => res.json({ items: 'x'.repeat(20_000) }));
  return a;
}

async function encodingFor(authorization?: string) {
  const req = request(app()).get('/big').set('Accept-Encoding', 'gzip');
  const res = await (authorization
    ? req.set('Authorization', authorization)
    : req);
  expect(res.status).toBe(200);
  return res.headers['content-encoding'] ?? 'identity';
}

describe('compression except plugin-to-plugin calls', () => {
  it('answers a plugin token uncompressed', async () => {
    expect(await encodingFor(`Bearer ${PLUGIN_TOKEN}`)).toBe('identity');
    expect(await encodingFor(`bearer  ${PLUGIN_TOKEN}`)).toBe('identity');
  });

  it('compresses for browsers, users, static CI tokens and anonymous callers as upstream does', async () => {
    expect(await encodingFor()).toBe('gzip');
    expect(await encodingFor(`Bearer ${USER_TOKEN}`)).toBe('gzip');
    expect(await encodingFor('Bearer static-ci-token-without-dots')).toBe(
      'gzip',
    );
  });

  it('treats malformed, empty and hostile tokens as not a plugin call, without failing the request', async () => {
    for (const authorization of [
      'Bearer ',
      'Bearer .',
      'Bearer %%%.x.y',
      `Bearer ${segment('not an object')}.x.y`,
      `Bearer ${segment(null)}.x.y`,
      `Bearer ${Buffer.from('{"typ":').toString('base64url')}.x.y`,
      `Basic ${PLUGIN_TOKEN}`,
      `Bearer ${PLUGIN_TOKEN} trailing`,
      `Bearer ${segment({ typ: 'vnd.backstage.plugin\u200b' })}.x.y`,
    ]) {
      expect(await encodingFor(authorization)).toBe('gzip');
    }
  });

  it('reads only the header value it is given', () => {
    const req = (authorization: unknown) =>
      ({ headers: { authorization } } as unknown as express.Request);
    expect(carriesPluginToken(req(`Bearer ${PLUGIN_TOKEN}`))).toBe(true);
    expect(carriesPluginToken(req(undefined))).toBe(false);
    expect(carriesPluginToken(req([`Bearer ${PLUGIN_TOKEN}`]))).toBe(false);
  });
});
