import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  isoDurationMs,
  readTaskRuns,
  TaskRowState,
  TaskRun,
  taskRunProblems,
} from './topologyChecks';

// The "once per interval" check of the topology test must catch what would break it: a slot run
// twice, an interval skipped, the run after the last one missing.

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const slot = (i: number, ms = 10_000) => new Date(T0 + i * ms).toISOString();
const run = (i: number, replica: string, extra: Partial<TaskRun> = {}) => ({
  task: 'evidence-rescan',
  plugin: 'evidence',
  slot: slot(i),
  replica,
  killed: false,
  finishedAt: T0 + i * 10_000 + 50,
  ...extra,
});
const rows = (next: number, extra: Partial<TaskRowState> = {}) =>
  new Map([
    [
      'evidence-rescan',
      {
        next: T0 + next * 10_000,
        intervalMs: 10_000,
        running: false,
        blocked: false,
        ...extra,
      },
    ],
  ]);

describe('taskRunProblems', () => {
  it('accepts one run per slot on any replica, up to the next slot', () => {
    const runs = [run(0, 'r0'), run(1, 'r2'), run(2, 'r1'), run(3, 'r0')];
    expect(taskRunProblems(runs, rows(4))).toEqual([]);
  });

  it('flags a slot that ran on two replicas', () => {
    const runs = [run(0, 'r0'), run(1, 'r1'), run(1, 'r2'), run(2, 'r0')];
    expect(taskRunProblems(runs, rows(3))).toEqual([
      expect.stringContaining('ran 2 times (r1, r2)'),
    ]);
  });

  it('flags a skipped interval, but not one after a run that overran', () => {
    const skipped = [run(0, 'r0'), run(2, 'r1')];
    expect(taskRunProblems(skipped, rows(3))).toEqual([
      expect.stringContaining('20000 ms apart'),
    ]);
    const overran = [
      run(0, 'r0', { finishedAt: T0 + 19_000 }),
      { ...run(0, 'r1'), slot: new Date(T0 + 19_100).toISOString() },
    ];
    expect(taskRunProblems(overran, rows(0, { next: T0 + 29_100 }))).toEqual(
      [],
    );
  });

  it('flags a missing run after the last one, and allows a slot again after a SIGKILL', () => {
    expect(taskRunProblems([run(0, 'r0'), run(1, 'r1')], rows(3))).toEqual([
      expect.stringContaining('an interval without a run'),
    ]);
    const killed = [
      run(0, 'r0'),
      run(1, 'r0', { killed: true, finishedAt: undefined }),
      run(1, 'r2'),
    ];
    expect(taskRunProblems(killed, rows(2))).toEqual([]);
    expect(
      taskRunProblems(
        killed.slice(0, 2),
        rows(1, { running: true, blocked: true }),
      ),
    ).toEqual([]);
  });
});

describe('readTaskRuns', () => {
  it('pairs starts with ends per log and marks runs cut off by a SIGKILL', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'topology-checks-'));
    const line = (message: string, i: number, at: number) =>
      JSON.stringify({
        message: `Scheduled task evidence-rescan ${message}`,
        plugin: 'evidence',
        task: 'evidence-rescan',
        slot: slot(i),
        at: new Date(at).toISOString(),
      });
    const before = [
      line('started', 0, T0),
      line('finished', 0, T0 + 5),
      line('started', 1, T0 + 10_000),
    ].join('\n');
    const file = path.join(dir, 'r0.log');
    fs.writeFileSync(
      file,
      `${before}\nnot json\n${line('started', 1, T0 + 70_000)}\n${line(
        'finished',
        1,
        T0 + 70_010,
      )}\n`,
    );
    const runs = readTaskRuns([
      { replica: 'r0', file, killedUpTo: Buffer.byteLength(`${before}\n`) },
    ]);
    fs.rmSync(dir, { recursive: true });
    expect(runs.map(r => [r.slot, r.killed, r.finishedAt])).toEqual([
      [slot(0), false, T0 + 5],
      [slot(1), true, undefined],
      [slot(1), false, T0 + 70_010],
    ]);
  });

  it('reads ISO durations of the scheduler settings', () => {
    expect(isoDurationMs('PT10S')).toBe(10_000);
    expect(isoDurationMs('PT1M')).toBe(60_000);
    expect(isoDurationMs('P1DT2H')).toBe(93_600_000);
  });
});
