import { mockServices } from '@backstage/backend-test-utils';
import { OutboxEntry } from '../database/NotificationStore';
import { BackstageDriftDelivery } from './notifier';

const entry: OutboxEntry = {
  id: 'n1',
  runId: 'r1',
  status: 'pending',
  dueAt: '2030-01-07T10:00:00.000Z',
  createdAt: '2030-01-07T10:00:00.000Z',
  audience: 'tenant',
  recipients: ['group:default/team-birds'],
  payload: {
    title:
      'Project Birds: 1 resource differs from your contract in samakia-prod',
    description: 'your postgres db ...',
    link: '/catalog/default/tenant/project-birds/drift',
    severity: 'high',
    topic: 'drift',
    scope: 'drift:abc:tenant',
  },
};

function setup(
  external: { enabled: boolean },
  answer?: () => Promise<Response>,
) {
  const send = jest.fn(async () => {});
  const fetchImpl = jest.fn(
    answer ?? (async () => new Response(null, { status: 204 })),
  );
  const logger = mockServices.logger.mock();
  const delivery = new BackstageDriftDelivery(
    { send },
    {
      ...external,
      webhooks: [
        { url: 'https://hooks.example.com/drift', headers: { 'X-Token': 't' } },
      ],
    },
    logger,
    'https://portal.example.com',
    fetchImpl as unknown as typeof fetch,
  );
  return { delivery, send, fetchImpl, logger };
}

describe('BackstageDriftDelivery', () => {
  it('delivers in the portal only while external delivery is off (the default)', async () => {
    const { delivery, send, fetchImpl } = setup({ enabled: false });
    await delivery.deliver(entry);
    expect(send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: ['group:default/team-birds'] },
      payload: entry.payload,
    });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('also posts JSON to the webhooks when enabled, with an absolute link', async () => {
    const { delivery, send, fetchImpl } = setup({ enabled: true });
    await delivery.deliver(entry);
    expect(send).toHaveBeenCalledTimes(1);
    expect(fetchImpl).toHaveBeenCalledWith(
      'https://hooks.example.com/drift',
      expect.objectContaining({
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Token': 't' },
      }),
    );
    const [, init] = fetchImpl.mock.calls[0] as unknown as [
      string,
      RequestInit,
    ];
    expect(JSON.parse(init.body as string)).toMatchObject({
      audience: 'tenant',
      recipients: ['group:default/team-birds'],
      title: entry.payload.title,
      url: 'https://portal.example.com/catalog/default/tenant/project-birds/drift',
    });
  });

  it('logs a failing webhook without failing the delivery', async () => {
    const { delivery, logger } = setup({ enabled: true }, async () => {
      throw new Error('connection refused');
    });
    await expect(delivery.deliver(entry)).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Drift webhook hooks.example.com failed: Error: connection refused',
    );
  });
});
