import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import fabricQueryPlugin from './index';

jest.setTimeout(60_000);

async function start(config: { fabricQuery?: { enabled: boolean } }) {
  const { server } = await startTestBackend({
    features: [
      fabricQueryPlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return server;
}

const headers = {
  Authorization: mockCredentials.user.header('user:default/olivia.operator'),
};

describe('fabric-query plugin', () => {
  it('serves the domain query API by default', async () => {
    const server = await start({});
    const res = await request(server)
      .get('/api/fabric-query/planes?vlan=140')
      .set(headers);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });

  it('leaves the API out with fabricQuery.enabled: false (no answer from an empty read model)', async () => {
    const server = await start({ fabricQuery: { enabled: false } });
    const res = await request(server)
      .get('/api/fabric-query/planes?vlan=140')
      .set(headers);
    expect(res.status).toBe(404);
  });
});
