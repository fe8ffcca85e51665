import fs from 'node:fs';
import { pgQuery } from '../reliability/support/postgres';

// What the topology test asserts after its load, over what the database and the replicas' logs
// hold: the approvals state machine (proposals, claims, approvals and their audit records) and
// the scheduled tasks' runs, one per interval across the replicas.

/** A write of the load and its answer (0: no answer at all). */
export interface WriteOutcome {
  kind: string;
  id: string;
  status: number;
}

/**
 * Proposals, claims and approvals against what is stored: each answered 2xx stored exactly once,
 * and every proposal (whatever its requests were answered) whole: each decision with its audit
 * record, nobody approving twice, the state following from the decisions, and approved at most
 * once. Returns the problems (none: all holds).
 */
export async function approvalsProblems(options: {
  database: string;
  outcomes: WriteOutcome[];
  /** The title prefix of the load's proposals. */
  titlePrefix: string;
  required: number;
  /** Proposal id by the title it was submitted with (from the 201 answers). */
  submitted: Map<string, string>;
}): Promise<string[]> {
  const { database, outcomes, required } = options;
  const problems: string[] = [];
  const proposals = await pgQuery<{ id: string; title: string; state: string }>(
    'SELECT id, title, state FROM approvals_proposals WHERE title LIKE $1',
    [`${options.titlePrefix}%`],
    database,
  );
  const ids = proposals.map(p => p.id);
  const decisions = await pgQuery<{
    proposal_id: string;
    actor_ref: string;
    kind: string;
  }>(
    'SELECT proposal_id, actor_ref, kind FROM approvals_decisions WHERE proposal_id = ANY($1)',
    [ids],
    database,
  );
  const audit = await pgQuery<{
    proposal_id: string;
    action: string;
    actor_ref: string;
    details_json: string;
  }>(
    'SELECT proposal_id, action, actor_ref, details_json FROM approvals_audit WHERE proposal_id = ANY($1) ORDER BY seq',
    [ids],
    database,
  );

  const byTitle = new Map<string, string[]>();
  for (const p of proposals) {
    byTitle.set(p.title, [...(byTitle.get(p.title) ?? []), p.id]);
  }
  for (const [title, list] of byTitle) {
    if (list.length !== 1) {
      problems.push(`"${title}" stored ${list.length} times`);
    }
  }
  const ok = (o: WriteOutcome) => o.status >= 200 && o.status < 300;
  const count = <T>(items: T[], pred: (t: T) => boolean) =>
    items.filter(pred).length;
  for (const o of outcomes.filter(ok)) {
    if (o.kind === 'proposal-submit') {
      const id = options.submitted.get(o.id);
      if (!id || byTitle.get(o.id)?.length !== 1) {
        problems.push(`submit "${o.id}" answered ${o.status} but not stored`);
      } else if (
        count(audit, a => a.proposal_id === id && a.action === 'submitted') !==
        1
      ) {
        problems.push(`submit "${o.id}": not exactly one submitted record`);
      }
    }
    if (o.kind === 'proposal-claim' || o.kind === 'proposal-approve') {
      const [id, actor] = o.id.split(' ');
      const action = o.kind === 'proposal-claim' ? 'claimed' : 'approval';
      const n = count(
        audit,
        a =>
          a.proposal_id === id && a.action === action && a.actor_ref === actor,
      );
      if (n !== 1) {
        problems.push(`${o.kind} ${o.id} answered ${o.status}: ${n} records`);
      }
      if (
        o.kind === 'proposal-approve' &&
        count(
          decisions,
          d =>
            d.proposal_id === id &&
            d.kind === 'approval' &&
            d.actor_ref === actor,
        ) !== 1
      ) {
        problems.push(`${o.kind} ${o.id} answered ${o.status}: no decision`);
      }
    }
  }
  for (const p of proposals) {
    const approvals = decisions
      .filter(d => d.proposal_id === p.id && d.kind === 'approval')
      .map(d => d.actor_ref)
      .sort();
    const trail = audit.filter(a => a.proposal_id === p.id);
    const audited = trail
      .filter(a => a.action === 'approval')
      .map(a => a.actor_ref)
      .sort();
    if (new Set(approvals).size !== approvals.length) {
      problems.push(`${p.id}: an approver counted twice: ${approvals}`);
    }
    if (JSON.stringify(audited) !== JSON.stringify(approvals)) {
      problems.push(`${p.id}: decisions ${approvals}, audit ${audited}`);
    }
    if (count(trail, a => a.action === 'submitted') !== 1) {
      problems.push(`${p.id}: stored without exactly one submitted record`);
    }
    const approved = approvals.length >= required;
    if ((p.state === 'approved') !== approved) {
      problems.push(`${p.id}: ${p.state} with ${approvals.length} approvals`);
    }
    const became = count(
      trail,
      a => JSON.parse(a.details_json).to === 'approved',
    );
    if (became !== (approved ? 1 : 0)) {
      problems.push(`${p.id}: became approved ${became} times`);
    }
  }
  return problems;
}

/** One scheduled-task log line of a replica (drainingScheduler.ts writes them). */
export interface TaskRun {
  task: string;
  plugin: string;
  slot: string;
  replica: string;
  /** The run was in a process that was killed (SIGKILL) before it logged the end. */
  killed: boolean;
  finishedAt?: number;
}

/**
 * The global scheduled-task runs from the replicas' logs. `killedUpTo` maps a log file to the
 * length it had when its process was SIGKILLed: runs started before that and not finished were
 * cut off by the kill.
 */
export function readTaskRuns(
  logs: Array<{ replica: string; file: string; killedUpTo?: number }>,
): TaskRun[] {
  const runs: TaskRun[] = [];
  for (const { replica, file, killedUpTo } of logs) {
    const text = fs.readFileSync(file, 'utf8');
    let offset = 0;
    const open = new Map<string, TaskRun>();
    let restarted = false;
    for (const line of text.split('\n')) {
      const at = offset;
      offset += Buffer.byteLength(line) + 1;
      if (killedUpTo !== undefined && at >= killedUpTo && !restarted) {
        // A new process writes from here on: whatever is still open was cut off.
        restarted = true;
        open.clear();
      }
      if (!line.startsWith('{')) continue;
      let entry: Record<string, any>;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      if (!entry.slot || !entry.task) continue;
      const key = `${entry.task} ${entry.slot}`;
      if (/ started$/.test(entry.message)) {
        const run: TaskRun = {
          task: entry.task,
          plugin: entry.plugin,
          slot: entry.slot,
          replica,
          killed: killedUpTo !== undefined && at < killedUpTo,
        };
        runs.push(run);
        open.set(key, run);
      } else if (/ (finished|failed)$/.test(entry.message)) {
        const run = open.get(key);
        if (run) {
          run.killed = false;
          run.finishedAt = Date.parse(entry.at);
          open.delete(key);
        }
      }
    }
  }
  return runs;
}

/**
 * How long before the next slot a run may end and still push that slot back: the scheduler
 * moves the slot in its own write after the function returns, which a loaded machine may delay.
 */
const LATE_MS = 5000;

/** A task's scheduler row: the next slot, the interval, and whether a run holds the lock. */
export interface TaskRowState {
  next: number;
  intervalMs: number;
  running: boolean;
  /** The lock is held by a run a SIGKILL cut off (until the task's timeout). */
  blocked: boolean;
}

/**
 * "Each scheduled task ran once per interval", from the recorded runs and the scheduler's rows:
 * - no slot of a task ran twice, but for a run a SIGKILL cut off (the slot is due again once
 *   its lock expires, as it must be: the run never completed);
 * - consecutive slots are one interval apart, or further only because the earlier run ended
 *   (or was cut off) after the next slot was due;
 * - the slot after the last run is the one the scheduler holds as next, so no interval after the
 *   last run is missing either.
 */
export function taskRunProblems(
  runs: TaskRun[],
  rows: Map<string, TaskRowState>,
): string[] {
  const problems: string[] = [];
  const tasks = [...new Set(runs.map(r => r.task))];
  for (const task of tasks) {
    const row = rows.get(task);
    if (!row) {
      problems.push(`${task}: no scheduler row`);
      continue;
    }
    const mine = runs
      .filter(r => r.task === task)
      .sort((a, b) => Date.parse(a.slot) - Date.parse(b.slot));
    const bySlot = new Map<string, TaskRun[]>();
    for (const r of mine)
      bySlot.set(r.slot, [...(bySlot.get(r.slot) ?? []), r]);
    for (const [slot, list] of bySlot) {
      const completed = list.filter(r => !r.killed);
      if (completed.length > 1) {
        problems.push(
          `${task}: slot ${slot} ran ${completed.length} times (${list
            .map(r => r.replica)
            .join(', ')})`,
        );
      }
    }
    const slots = [...bySlot.keys()];
    for (let i = 1; i < slots.length; i++) {
      const prev = Date.parse(slots[i - 1]);
      const gap = Date.parse(slots[i]) - prev;
      const prevRuns = bySlot.get(slots[i - 1])!;
      const overran = prevRuns.some(
        r => r.killed || (r.finishedAt ?? 0) >= prev + row.intervalMs - LATE_MS,
      );
      if (
        gap < row.intervalMs - 1 ||
        (gap > row.intervalMs + 1000 && !overran)
      ) {
        problems.push(
          `${task}: slots ${slots[i - 1]} and ${
            slots[i]
          } are ${gap} ms apart (interval ${row.intervalMs} ms)`,
        );
      }
    }
    const last = Date.parse(slots[slots.length - 1]);
    const lastRuns = bySlot.get(slots[slots.length - 1])!;
    if (row.blocked) continue; // a cut-off run holds the lock until its timeout
    if (row.running) {
      if (row.next !== last) {
        problems.push(`${task}: running for ${row.next}, last logged ${last}`);
      }
    } else {
      const expected = last + row.intervalMs;
      const overran = lastRuns.some(
        r => (r.finishedAt ?? 0) >= expected - LATE_MS,
      );
      if (row.next !== expected && !(overran && row.next > expected)) {
        problems.push(
          `${task}: next run at ${new Date(
            row.next,
          ).toISOString()}, but the last ran for ${
            slots[slots.length - 1]
          } (interval ${row.intervalMs} ms): an interval without a run`,
        );
      }
    }
  }
  return problems;
}

/** Milliseconds of an ISO 8601 duration of days, hours, minutes and seconds (PT10S, PT1M). */
export function isoDurationMs(iso: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(
    iso,
  );
  if (!m) return NaN;
  const [d, h, min, sec] = m.slice(1).map(v => Number(v ?? 0));
  return (((d * 24 + h) * 60 + min) * 60 + sec) * 1000;
}

/** The scheduler rows of `database` as `taskRunProblems` needs them. */
export async function taskRows(database: string) {
  const rows = await pgQuery<{
    id: string;
    settings_json: string;
    next: Date;
    ticket: string | null;
    expires: Date | null;
    now: Date;
  }>(
    `SELECT id, settings_json, next_run_start_at AS next, current_run_ticket AS ticket,
            current_run_expires_at AS expires, now() AS now
       FROM backstage_backend_tasks__tasks`,
    [],
    database,
  );
  return rows.map(r => {
    const cadence = JSON.parse(r.settings_json).cadence as string;
    return {
      id: r.id,
      intervalMs: isoDurationMs(cadence),
      next: r.next ? new Date(r.next).getTime() : NaN,
      now: new Date(r.now).getTime(),
      running: r.ticket !== null,
      expires: r.expires ? new Date(r.expires).getTime() : undefined,
    };
  });
}
