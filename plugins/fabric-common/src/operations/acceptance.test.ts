import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  AcceptanceRun,
  FABRIC_ANNOTATION_ACCEPTANCE_TARGETS,
  computeAcceptanceHealth,
  parseAcceptanceTargets,
} from './acceptance';

const HOUR = 3_600_000;
const now = new Date('2026-01-03T12:00:00Z');
const { targets } = parseAcceptanceTargets(
  'minio.quorum.guard, milestone.phase1-12.verify=milestones/phase1-12',
);

function run(over: Partial<AcceptanceRun>): AcceptanceRun {
  return {
    packetId: 'p1',
    area: 'acceptance',
    subject: 'minio.quorum.guard',
    timestamp: '2026-01-03T11:00:00Z',
    result: 'PASS',
    verdict: 'verified',
    ...over,
  };
}

const milestone = run({
  packetId: 'm1',
  area: 'milestones',
  subject: 'phase1-12',
});

describe('parseAcceptanceTargets', () => {
  it('reads bare targets and targets with their own evidence location', () => {
    expect(targets).toEqual([
      {
        target: 'minio.quorum.guard',
        area: 'acceptance',
        subject: 'minio.quorum.guard',
      },
      {
        target: 'milestone.phase1-12.verify',
        area: 'milestones',
        subject: 'phase1-12',
      },
    ]);
  });

  it.each(['../etc', 'a=b', 'a=../x', 'a=b/c=d', 'a b'])(
    'reports %j instead of guessing',
    value => {
      const parsed = parseAcceptanceTargets(value);
      expect(parsed.targets).toEqual([]);
      expect(parsed.problems[0]).toContain('is not a target');
    },
  );
});

describe('computeAcceptanceHealth', () => {
  it('passes when every latest run passed recently, and keeps their observations', () => {
    const health = computeAcceptanceHealth(
      targets,
      [
        run({ observations: { quorum: 'ok', vipHolder: 'minio-edge-1' } }),
        milestone,
      ],
      now,
      24 * HOUR,
    );
    expect(health.status).toBe('pass');
    expect(
      health.targets.map(t => [t.target, t.status, t.latest?.ageMs]),
    ).toEqual([
      ['minio.quorum.guard', 'pass', HOUR],
      ['milestone.phase1-12.verify', 'pass', HOUR],
    ]);
    expect(health.observations.vipHolder).toEqual({
      value: 'minio-edge-1',
      target: 'minio.quorum.guard',
      timestamp: '2026-01-03T11:00:00Z',
    });
  });

  it('goes stale exactly past the configured age', () => {
    const at = (ms: number) =>
      computeAcceptanceHealth(
        targets.slice(0, 1),
        [run({ timestamp: new Date(now.getTime() - ms).toISOString() })],
        now,
        2 * HOUR,
      ).status;
    expect(at(2 * HOUR)).toBe('pass');
    expect(at(2 * HOUR + 1)).toBe('stale');
  });

  it('judges by the latest run only: an old pass does not hide a new failure', () => {
    const health = computeAcceptanceHealth(
      targets.slice(0, 1),
      [
        run({ packetId: 'old', timestamp: '2026-01-03T10:00:00Z' }),
        run({ packetId: 'new', result: 'FAIL' }),
      ],
      now,
      24 * HOUR,
    );
    expect(health.targets[0]).toEqual(
      expect.objectContaining({
        status: 'fail',
        latest: expect.objectContaining({ packetId: 'new' }),
      }),
    );
  });

  it('does not believe a tampered packet that claims PASS, nor its observations', () => {
    const health = computeAcceptanceHealth(
      targets.slice(0, 1),
      [
        run({
          verdict: 'tampered',
          observations: { quorum: 'ok' },
        }),
      ],
      now,
      24 * HOUR,
    );
    expect(health.status).toBe('untrusted');
    expect(health.observations).toEqual({});
  });

  it('does not believe a packet dated in the future, which would never go stale', () => {
    const health = computeAcceptanceHealth(
      targets.slice(0, 1),
      [run({ timestamp: '2027-01-01T00:00:00Z' })],
      now,
      24 * HOUR,
    );
    expect(health.targets[0].status).toBe('untrusted');
  });

  it('says missing for a target that never ran, and ignores runs of other subjects', () => {
    const health = computeAcceptanceHealth(
      targets,
      [run({ subject: 'minio.quorum.guard.old' })],
      now,
      24 * HOUR,
    );
    expect(health.targets.map(t => t.status)).toEqual(['missing', 'missing']);
    expect(health.status).toBe('missing');
  });
});

describe('the repository catalog', () => {
  const dir = path.resolve(__dirname, '../../../../catalog');
  const values = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(
        d =>
          d.toJS()?.metadata?.annotations?.[
            FABRIC_ANNOTATION_ACCEPTANCE_TARGETS
          ],
      ),
    )
    .filter((v): v is string => typeof v === 'string');

  it("names only well-formed acceptance targets, on the three network planes, their services and 254Carbon's data services (backup-run)", () => {
    expect(values.length).toBe(7);
    for (const value of values) {
      expect(parseAcceptanceTargets(value).problems).toEqual([]);
    }
  });
});
