import { createMockDirectory } from '@backstage/backend-test-utils';
import path from 'node:path';
import { MissionControlLeases } from './MissionControlLeases';

const sample = path.resolve(
  __dirname,
  '../../samples/mission-control-leases.json',
);

describe('MissionControlLeases', () => {
  const dir = createMockDirectory();

  it('reads the shipped sample: the seed’s claim of task 99927, expired after 12:30, and the sweep', async () => {
    const before = await new MissionControlLeases({
      file: sample,
      now: () => new Date('2026-05-08T12:29:59Z'),
    }).read();
    expect(before.leases).toEqual([
      {
        taskId: 99927,
        holder: 'john:abc123',
        leaseUntil: '2026-05-08T12:30:00Z',
        state: 'held',
      },
    ]);
    const after = await new MissionControlLeases({
      file: sample,
      now: () => new Date('2026-05-08T12:30:00Z'),
    }).read();
    // At lease_until the lease is no longer held (Mehanik: held while lease_until > now).
    expect(after.leases[0].state).toBe('expired');
    expect(after.defaultTtlMinutes).toBe(10);
    expect(after.sweeps).toEqual([
      { at: '2026-05-08T12:40:00Z', expired: [99927], autoRelease: false },
    ]);
  });

  it('answers 503 with the config key when nothing is configured', async () => {
    await expect(
      new MissionControlLeases({ now: () => new Date() }).read(),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('fabricOps.missionControl.leasesFile'),
    });
  });

  it('names the field of an export that is not valid, and a file that is not JSON', async () => {
    dir.setContent({
      'bad.json': JSON.stringify({
        source: 'x',
        exportedAt: '2026-05-08T12:40:00Z',
        leases: [
          {
            taskId: 1,
            actor: 'john; rm -rf',
            session: 'a',
            leaseUntil: '2026-05-08T12:30:00Z',
          },
        ],
      }),
      'broken.json': '{"source": ',
    });
    await expect(
      new MissionControlLeases({
        file: dir.resolve('bad.json'),
        now: () => new Date(),
      }).read(),
    ).rejects.toThrow('leases[0].actor');
    await expect(
      new MissionControlLeases({
        file: dir.resolve('broken.json'),
        now: () => new Date(),
      }).read(),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
  });
});
