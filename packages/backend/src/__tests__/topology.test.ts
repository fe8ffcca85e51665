import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  acceptanceFiles,
  startS3Server,
  tarGz,
  writePacket,
} from '@internal/plugin-evidence-backend/testUtils';
import {
  ImageProcess,
  PreparedImage,
  prepareImage,
  productionEnv,
  startImage,
  waitReady,
} from './support/productionImage';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
// The publisher techdocs-cli uses, standing in for CI's publish step (the backend's TechDocs
// plugin depends on it; the backend package itself does not).
// eslint-disable-next-line @backstage/no-undeclared-imports
import { Publisher } from '@backstage/plugin-techdocs-node';
import { startHaproxy } from './support/haproxy';
import { pgDatabasePrefix, pgQuery } from './reliability/support/postgres';
import { freePort, waitFor } from './support/bootBackend';
import { startExternalIssuer } from './support/externalIssuer';
import {
  approvalsProblems,
  readTaskRuns,
  taskRows,
  taskRunProblems,
  TaskRowState,
} from './support/topologyChecks';
import {
  OPERATORS,
  Outcome,
  PROPOSAL_TITLE,
  REQUESTER,
  TopologyLoad,
} from './support/topologyLoad';

// The acceptance topology of the production issue: three replicas of the production image (see
// productionImage.test.ts) on one PostgreSQL and one S3 server (@20minutes/s3rver), behind
// HAProxy from Debian on loopback. A mixed load runs through the load balancer for at least 60 s
// (proposals by a tenant member, claimed and approved by two different operators signed in
// through an external OpenID Connect issuer; drift runs and evidence uploads written; catalog,
// gate, evidence and drift reads) while one replica is killed with SIGKILL and started again,
// and then another is stopped with SIGTERM and started again. Afterwards: every write answered
// 2xx is stored exactly once, a write answered otherwise is either absent or whole, the approvals
// audit chain verifies, every uploaded packet is readable from every replica, each global
// scheduled task ran once per interval across all replicas (from the run records the scheduler
// logs, checked against the scheduler's rows), and the SIGTERM restart failed no request.

jest.setTimeout(40 * 60_000);

const LOAD_MS = 60_000;
const RESCAN_SECONDS = 10;
// A start under the mixed load on a shared 2-core machine has taken more than the default 4 min.
const START_MS = 10 * 60_000;

describe('three production replicas behind HAProxy under load, one SIGKILLed, one SIGTERMed', () => {
  const db = pgDatabasePrefix('topology');
  const ciToken = randomBytes(24).toString('hex');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-topology-'));
  let image: PreparedImage;
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let lb: Awaited<ReturnType<typeof startHaproxy>>;
  const replicas: ImageProcess[] = [];
  const ports: number[] = [];
  let env: (port: number) => Record<string, string>;
  let issuer: Awaited<ReturnType<typeof startExternalIssuer>>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    s3 = await startS3Server(['evidence', 'techdocs']);
    image = await prepareImage();
    fs.chmodSync(tmp, 0o777);
    ports.push(await freePort(), await freePort(), await freePort());
    lb = await startHaproxy({
      dir: tmp,
      servers: ports.map((port, i) => ({ name: `r${i}`, port })),
    });
    issuer = await startExternalIssuer(lb.baseUrl, [...OPERATORS, REQUESTER]);
    // One Secret for all replicas: one address (as behind a real load balancer), one session
    // secret (a sign-in may start on one replica and come back to another).
    const shared = {
      ...productionEnv({ baseUrl: lb.baseUrl, prefix: db.prefix, ciToken, s3 }),
      ...issuer.env,
    };
    env = () => ({
      ...shared,
      // Staging needs two approvals: the two-person rule with two different operators.
      'APP_CONFIG_approvals_environments_samakia-staging_requiredApprovals':
        '2',
      // A short rescan interval, to count runs across replicas within the test. Config objects
      // merge key by key: app-config.yaml's { minutes: 10 } must be zeroed, or the interval
      // would be 10 min 10 s.
      APP_CONFIG_evidence_rescan_frequency_minutes: '0',
      APP_CONFIG_evidence_rescan_frequency_seconds: String(RESCAN_SECONDS),
      APP_CONFIG_evidence_rescan_initialDelay_seconds: '1',
    });
    // One at a time first, so the three do not compete for the two cores while migrating
    // (simultaneous first starts are productionReplicas.test.ts's subject).
    for (const [i, port] of ports.entries()) {
      const r = await startImage(image, env(port), {
        port,
        logFile: path.join(tmp, `r${i}.log`),
      });
      replicas.push(r);
      await waitReady(r, START_MS);
    }
    await waitFor(
      'the catalog through the load balancer',
      async () => {
        const res = await fetch(
          `${lb.baseUrl}/api/catalog/entities/by-name/tenant/default/project-birds`,
          { headers: { Authorization: `Bearer ${ciToken}` } },
        );
        await res.arrayBuffer();
        return res.status === 200 ? true : undefined;
      },
      START_MS,
    );
    await waitFor(
      'the catalog users',
      async () => {
        for (const user of [...OPERATORS, REQUESTER]) {
          const res = await fetch(
            `${lb.baseUrl}/api/catalog/entities/by-name/user/default/${user}`,
            { headers: { Authorization: `Bearer ${ciToken}` } },
          );
          await res.arrayBuffer();
          if (res.status !== 200) return undefined;
        }
        return true;
      },
      START_MS,
    );
    // Sign-ins through the load balancer: start, issuer callback and token may each land on a
    // different replica.
    for (const user of [...OPERATORS, REQUESTER]) {
      tokens[user] = await issuer.signIn(lb.baseUrl, user);
    }
  });

  afterAll(async () => {
    await lb?.stop();
    for (const r of replicas) {
      if (r.child.exitCode === null && r.child.signalCode === null) {
        r.child.kill('SIGKILL');
        await r.exited;
      }
    }
    await db.drop();
    await s3?.close();
    await issuer?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loses nothing, half-stores nothing, runs scheduled work once, and SIGTERM fails no request', async () => {
    const auth = { Authorization: `Bearer ${ciToken}` };
    const load = new TopologyLoad({
      baseUrl: lb.baseUrl,
      ciToken,
      tokens,
      packet: fs.readFileSync(
        tarGz(
          writePacket(
            path.join(tmp, 'packet'),
            acceptanceFiles('Topology packet'),
          ),
          path.join(tmp, 'packet.tgz'),
        ),
      ),
    });
    const { outcomes, submitted } = load;
    const workers = load.start();

    const started = Date.now();
    const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
    await sleep(10_000);

    // SIGKILL replica 0 and start it again.
    load.phase = 'sigkill';
    replicas[0].child.kill('SIGKILL');
    await replicas[0].exited;
    const killedUpTo = fs.statSync(path.join(tmp, 'r0.log')).size;
    replicas[0] = await startImage(image, env(ports[0]), {
      port: ports[0],
      logFile: path.join(tmp, 'r0.log'),
    });
    await waitReady(replicas[0], START_MS);
    // Let the load balancer's checks see it (rise 2) before the next disruption.
    await sleep(3_000);

    // SIGTERM replica 1, wait for its exit, start it again.
    load.phase = 'sigterm';
    replicas[1].child.kill('SIGTERM');
    expect(await replicas[1].exited).toBe(0);
    replicas[1] = await startImage(image, env(ports[1]), {
      port: ports[1],
      logFile: path.join(tmp, 'r1.log'),
    });
    await waitReady(replicas[1], START_MS);
    await sleep(Math.max(3_000, LOAD_MS - (Date.now() - started)));
    await workers.stop();
    const loadSeconds = (Date.now() - started) / 1000;

    // The SIGTERM restart failed nothing; the SIGKILL may fail what was in flight on that replica.
    const failed = (o: Outcome) => o.status === 0 || o.status >= 500;
    const failures = outcomes.filter(o => o.phase !== 'sigkill' && failed(o));
    if (failures.length > 0) {
      // The replicas' logs go with the scratch folder: print their errors, so a failure in CI
      // says why.
      for (const i of [0, 1, 2]) {
        const errors = fs
          .readFileSync(path.join(tmp, `r${i}.log`), 'utf8')
          .split('\n')
          .filter(line => line.includes('"level":"error"'));
        console.error(`replica ${i} errors:\n${errors.join('\n')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(outcomes.filter(o => o.phase === 'sigterm').length).toBeGreaterThan(
      0,
    );
    // Nothing else than success or the SIGKILL's losses: no 4xx from the load (but the gate's
    // "no such change").
    const expected = (o: Outcome) =>
      (o.status >= 200 && o.status < 300) ||
      // The gate of a change nobody proposed yet (only before the first proposal).
      (o.kind === 'read /api/approvals/gate' &&
        o.status === 404 &&
        o.id.endsWith('changeRef=topology-0'));
    expect(outcomes.filter(o => !failed(o) && !expected(o))).toEqual([]);

    // Drift: each 201 stored exactly once, whole (two findings); a failed write absent or whole.
    const runs = await pgQuery<{
      run_url: string;
      n: number;
      findings: number;
    }>(
      `SELECT r.run_url, count(DISTINCT r.id)::int AS n,
              (SELECT count(*)::int FROM drift_findings f WHERE f.run_id = min(r.id)) AS findings
         FROM drift_runs r WHERE r.source = 'ci/topology' GROUP BY r.run_url`,
      [],
      db.database('drift'),
    );
    const stored = new Map(runs.map(r => [r.run_url, r]));
    const answered = outcomes.filter(
      x => x.kind === 'drift-write' && x.status === 201,
    );
    expect(answered.length).toBeGreaterThan(0);
    expect(
      answered.filter(o => stored.get(o.id)?.n !== 1).map(o => o.id),
    ).toEqual([]);
    expect(runs.every(r => r.n === 1 && r.findings === 2)).toBe(true);

    // Evidence: each 201 is one packet, readable from every replica; no half-stored packet.
    const packets = await pgQuery<{ id: string; timestamp: string }>(
      "SELECT id, timestamp FROM evidence_packets WHERE source = 'upload'",
      [],
      db.database('evidence'),
    );
    const byTimestamp = new Map<string, string[]>();
    for (const p of packets) {
      byTimestamp.set(p.timestamp, [
        ...(byTimestamp.get(p.timestamp) ?? []),
        p.id,
      ]);
    }
    const uploads = outcomes.filter(o => o.kind === 'evidence-write');
    expect(uploads.filter(o => o.status === 201).length).toBeGreaterThan(0);
    for (const o of uploads.filter(x => x.status === 201)) {
      const key = `${o.id.replace('Z', '.000Z')}`;
      const ids = byTimestamp.get(o.id) ?? byTimestamp.get(key) ?? [];
      expect({ upload: o.id, stored: ids.length }).toEqual({
        upload: o.id,
        stored: 1,
      });
    }
    for (const p of packets) {
      for (const r of replicas) {
        const res = await fetch(
          `${r.baseUrl}/api/evidence/packets/${p.id}/preview?path=summary.md`,
          { headers: auth },
        );
        expect({ packet: p.id, replica: r.port, status: res.status }).toEqual({
          packet: p.id,
          replica: r.port,
          status: 200,
        });
        expect((await res.json()).text).toContain('Topology packet');
      }
    }

    // Proposals, claims and approvals: each 2xx stored once, every proposal whole.
    const approvalsDb = db.database('approvals');
    expect(
      outcomes.filter(o => o.kind === 'proposal-approve' && o.status === 200)
        .length,
    ).toBeGreaterThan(0);
    expect(
      await approvalsProblems({
        database: approvalsDb,
        outcomes,
        titlePrefix: PROPOSAL_TITLE,
        required: 2,
        submitted,
      }),
    ).toEqual([]);
    // The audit chain verifies, through the approvals API, on every replica.
    const auditRecords = await pgQuery<{ n: number }>(
      'SELECT count(*)::int AS n FROM approvals_audit',
      [],
      approvalsDb,
    );
    for (const r of replicas) {
      const res = await fetch(`${r.baseUrl}/api/approvals/audit/verify`, {
        headers: { Authorization: `Bearer ${tokens[OPERATORS[0]]}` },
      });
      expect({
        replica: r.port,
        status: res.status,
        ...(await res.json()),
      }).toEqual({
        replica: r.port,
        status: 200,
        ok: true,
        checked: auditRecords[0].n,
      });
    }

    // Scheduled tasks: once per interval across the three replicas. Wait until every task
    // that is due has run (or is held by a run the SIGKILL cut off), then compare the runs the
    // replicas logged with the scheduler's rows.
    const logs = [0, 1, 2].map(i => ({
      replica: `r${i}`,
      file: path.join(tmp, `r${i}.log`),
      killedUpTo: i === 0 ? killedUpTo : undefined,
    }));
    const schedulerRows = async (plugins: string[]) => {
      const all = new Map<string, Awaited<ReturnType<typeof taskRows>>[0]>();
      for (const plugin of plugins) {
        for (const row of await taskRows(db.database(plugin))) {
          all.set(row.id, row);
        }
      }
      return all;
    };
    // A settled snapshot: the scheduler rows, then the logs, then the rows again unchanged (no
    // run began in between), no task running or overdue by more than the scheduler's poll.
    const rowsOf = async () => {
      // Every plugin with a global task run (each has its own database and scheduler table).
      const plugins = [...new Set(readTaskRuns(logs).map(r => r.plugin))];
      const before = await schedulerRows(plugins);
      const logged = readTaskRuns(logs);
      const after = await schedulerRows(plugins);
      const rows = new Map<string, TaskRowState>();
      for (const [id, row] of after) {
        const last = logged
          .filter(x => x.task === id)
          .sort((a, b) => Date.parse(a.slot) - Date.parse(b.slot))
          .pop();
        const blocked = row.running && !!last?.killed;
        const was = before.get(id);
        if (!Object.is(was?.next, row.next) || was?.running !== row.running) {
          return undefined;
        }
        if (!blocked && (row.running || row.next < row.now - 10_000)) {
          return undefined;
        }
        rows.set(id, { ...row, blocked });
      }
      return { runs: logged, rows };
    };
    const { runs: taskRuns, rows } = await waitFor(
      'due scheduled tasks to run',
      rowsOf,
      180_000,
    );
    const ranTasks = new Set(taskRuns.map(r => r.task));
    for (const task of [
      'evidence-rescan',
      'approvals-expire-due',
      'drift-notifications-flush',
    ]) {
      expect({ task, ran: ranTasks.has(task) }).toEqual({ task, ran: true });
    }
    // Every 10 s since the first replica started, minutes ago: many runs, unless the SIGKILL
    // cut one off (its lock then holds until the task's 30 min timeout, as it must).
    expect(
      taskRuns.filter(r => r.task === 'evidence-rescan').length,
    ).toBeGreaterThanOrEqual(rows.get('evidence-rescan')?.blocked ? 1 : 3);
    expect(taskRunProblems(taskRuns, rows)).toEqual([]);

    // Figures for the report.
    const summary = outcomes.reduce<Record<string, Record<string, number>>>(
      (acc, o) => {
        acc[o.phase] ??= {};
        acc[o.phase][String(o.status)] =
          (acc[o.phase][String(o.status)] ?? 0) + 1;
        return acc;
      },
      {},
    );
    // eslint-disable-next-line no-console
    console.log(
      `topology: ${outcomes.length} requests in ${loadSeconds.toFixed(
        0,
      )} s; by phase and status ${JSON.stringify(summary)}; ${
        runs.length
      } drift runs, ${packets.length} packets, ${
        submitted.size
      } proposals stored; ${taskRuns.length} scheduled task runs (${[
        ...ranTasks,
      ].join(', ')})`,
    );
  });
  it('serves a TechDocs site published to object storage from every replica', async () => {
    // CI builds the site and publishes it with Backstage's publisher (what `techdocs-cli
    // publish --publisher-type awsS3` runs), configured like the production profile: the bucket
    // on the S3 endpoint, path-style. No replica keeps a copy: each reads it from the bucket.
    const site = fs.mkdtempSync(path.join(tmp, 'site-'));
    const marker = `Published for the topology test ${randomBytes(4).toString(
      'hex',
    )}`;
    fs.writeFileSync(
      path.join(site, 'index.html'),
      `<html><body><h1>${marker}</h1></body></html>`,
    );
    fs.writeFileSync(
      path.join(site, 'techdocs_metadata.json'),
      JSON.stringify({
        site_name: 'Fabric Portal',
        site_description: marker,
        etag: randomBytes(8).toString('hex'),
        build_timestamp: Date.now(),
        files: ['index.html'],
      }),
    );
    const publisher = await Publisher.fromConfig(
      new ConfigReader({
        techdocs: {
          publisher: {
            type: 'awsS3',
            awsS3: {
              bucketName: 'techdocs',
              endpoint: s3.endpoint,
              s3ForcePathStyle: true,
              region: s3.region,
              credentials: {
                accessKeyId: s3.accessKeyId,
                secretAccessKey: s3.secretAccessKey,
              },
            },
          },
        },
      }),
      {
        logger: mockServices.logger.mock(),
        discovery: mockServices.discovery(),
      },
    );
    await publisher.publish({
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'fabric-portal', namespace: 'default' },
      },
      directory: site,
    });
    const auth = { Authorization: `Bearer ${tokens[OPERATORS[0]]}` };
    for (const r of replicas) {
      const page = await fetch(
        `${r.baseUrl}/api/techdocs/static/docs/default/component/fabric-portal/index.html`,
        { headers: auth },
      );
      expect({ replica: r.port, status: page.status }).toEqual({
        replica: r.port,
        status: 200,
      });
      expect(await page.text()).toContain(marker);
      const metadata = await fetch(
        `${r.baseUrl}/api/techdocs/metadata/techdocs/default/component/fabric-portal`,
        { headers: auth },
      );
      expect(metadata.status).toBe(200);
      expect((await metadata.json()).site_description).toBe(marker);
    }
    // And it is in the bucket, where s3rver keeps it, not on a replica's disk.
    expect(
      fs
        .readdirSync(
          path.join(s3.directory, 'techdocs/default/component/fabric-portal'),
        )
        .some(f => f.startsWith('index.html.')),
    ).toBe(true);
  });
});
