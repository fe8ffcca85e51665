import {
  entityPath,
  formatLimit,
  staleAcceptanceItem,
  type PlaneAcceptance,
} from './staleAcceptance';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const plane = (
  name: string,
  targets: Array<[string, string, number?]>,
  staleAfterMs = WEEK,
): PlaneAcceptance => ({
  ref: `plane:default/${name}`,
  title: `${name} plane`,
  health: {
    staleAfterMs,
    targets: targets.map(([target, status, ageDays]) => ({
      target,
      status,
      latest: ageDays === undefined ? undefined : { ageMs: ageDays * DAY },
    })),
  },
});

describe('stale acceptance on the operator home', () => {
  it('counts the planes with a stale target, oldest first, each linked to its page', () => {
    const item = staleAcceptanceItem([
      plane('dns', [
        ['dns.sdn.accept', 'stale', 30],
        ['dns.accept', 'pass', 1],
      ]),
      plane('minio', [
        ['minio.quorum.guard', 'stale', 338],
        ['minio.failure.sim', 'stale', 12],
      ]),
      plane('shared', [['phase2.1.accept', 'pass', 2]]),
    ]);
    expect(item.label).toBe('Acceptance older than 7 days');
    expect(item.count).toBe(2);
    expect(item.urgent).toBeUndefined();
    expect(item.detail).toBeUndefined();
    expect(item.links).toEqual([
      {
        title: 'minio plane (2 targets, 338 d)',
        link: '/catalog/default/plane/minio',
      },
      {
        title: 'dns plane (dns.sdn.accept, 30 d)',
        link: '/catalog/default/plane/dns',
      },
    ]);
  });

  it('does not call a failing, untrusted or missing run stale acceptance', () => {
    const item = staleAcceptanceItem([
      plane('dns', [['dns.accept', 'fail', 400]]),
      plane('minio', [['minio.quorum.guard', 'untrusted', 400]]),
      plane('shared', [['phase2.1.accept', 'missing']]),
    ]);
    expect(item.count).toBe(0);
    expect(item.links).toEqual([]);
  });

  it('names the limit as configured and the planes it could not check', () => {
    const item = staleAcceptanceItem([
      plane('dns', [['dns.accept', 'stale', 3]], 36 * HOUR),
      {
        ref: 'plane:default/minio',
        title: 'MinIO plane',
        error: 'Forbidden',
      },
    ]);
    expect(item.label).toBe('Acceptance older than 36 hours');
    expect(item.count).toBe(1);
    expect(item.detail).toBe('not checked: MinIO plane (Forbidden)');
  });

  it('has no limit to name when no plane could be read', () => {
    expect(staleAcceptanceItem([]).label).toBe('Stale acceptance');
    expect(staleAcceptanceItem([]).count).toBe(0);
  });

  it('formats limits and entity paths', () => {
    expect(formatLimit(DAY)).toBe('1 day');
    expect(formatLimit(30 * DAY)).toBe('30 days');
    expect(formatLimit(HOUR)).toBe('1 hour');
    expect(entityPath('plane:ops/data-services')).toBe(
      '/catalog/ops/plane/data-services',
    );
    expect(entityPath('not a ref')).toBe('/catalog');
  });
});
