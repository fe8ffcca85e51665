import { bootBackend } from './support/bootBackend';

// Stopping the backend (SIGTERM in production, every integration suite's clean-up here) does not
// wait for the events bus's long polls. The bus holds a subscription read open until an event
// arrives or its notify timeout passes (55 s by default), and upstream's HTTP server, when it
// stops, waits for every open request: each stop took 55 s before requestDrain.ts ended them.

// The bus here holds a poll for ten minutes: a stop that waited for it would outlast this.
jest.setTimeout(120_000);

const TOKEN = 'shutdown-test-events-token';

it('stops while an events bus long poll is open, and the poll gets an empty answer', async () => {
  const backend = await bootBackend({
    configs: ['app-config.yaml'],
    dataFolders: true,
    extraConfig: () => ({
      backend: {
        database: { client: 'better-sqlite3', connection: ':memory:' },
        // Only this token, and only for the events plugin: the poll below is a service's.
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: TOKEN, subject: 'shutdown-test' },
              accessRestrictions: [{ plugin: 'events' }],
            },
          ],
        },
      },
      events: { notifyTimeoutMs: 600_000 },
    }),
  });
  const subscription = `${backend.baseUrl}/api/events/bus/v1/subscriptions/shutdown-test`;
  const headers = {
    Authorization: `Bearer ${TOKEN}`,
    'Content-Type': 'application/json',
  };
  const subscribed = await fetch(subscription, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ topics: ['fabric.shutdown-test'] }),
  });
  expect(subscribed.ok).toBe(true);
  const poll = await fetch(`${subscription}/events`, { headers });
  // 202: nothing to read yet, so the bus holds the response open.
  expect(poll.status).toBe(202);
  const [, body] = await Promise.all([backend.stop(), poll.text()]);
  expect(body).toBe('');
});
