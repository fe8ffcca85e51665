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
import { startHaproxy } from './support/haproxy';
import { pgDatabasePrefix, pgQuery } from './reliability/support/postgres';
import { freePort, waitFor } from './support/bootBackend';

// The acceptance topology of the production issue: three replicas of the production image (see
// productionImage.test.ts) on one PostgreSQL and one S3 server (@20minutes/s3rver), behind
// HAProxy from Debian on loopback. A mixed load runs through the load balancer for at least 60 s
// (drift runs and evidence uploads written, and catalog, gate, evidence and drift reads) while
// one replica is killed with SIGKILL and started again, and then another is stopped with SIGTERM
// and started again. Afterwards: every write answered 2xx is stored exactly once, a write
// answered otherwise is either absent or whole, every uploaded packet is readable from every
// replica, the evidence rescan ran once per interval across all replicas, and the SIGTERM
// restart failed no request.
//
// Not in the mix (the production profile has no development sign-in, and the CI token may not
// decide proposals): proposals, claims and approvals, and so the audit chain, which they write.

jest.setTimeout(40 * 60_000);

const LOAD_MS = 60_000;
const RESCAN_SECONDS = 10;

interface Outcome {
  kind: string;
  id: string;
  status: number; // 0: no answer (connection error)
  phase: 'steady' | 'sigkill' | 'sigterm';
}

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

  beforeAll(async () => {
    s3 = await startS3Server(['evidence', 'techdocs']);
    image = await prepareImage();
    fs.chmodSync(tmp, 0o777);
    ports.push(await freePort(), await freePort(), await freePort());
    lb = await startHaproxy({
      dir: tmp,
      servers: ports.map((port, i) => ({ name: `r${i}`, port })),
    });
    env = () => ({
      // One address for all, as behind a real load balancer.
      ...productionEnv({ baseUrl: lb.baseUrl, prefix: db.prefix, ciToken, s3 }),
      // A short rescan interval, to count runs across replicas within the test.
      APP_CONFIG_evidence_rescan_frequency: JSON.stringify({
        seconds: RESCAN_SECONDS,
      }),
      APP_CONFIG_evidence_rescan_initialDelay: JSON.stringify({ seconds: 1 }),
    });
    // One at a time first, so the three do not compete for the two cores while migrating
    // (simultaneous first starts are productionReplicas.test.ts's subject).
    for (const [i, port] of ports.entries()) {
      const r = await startImage(image, env(port), {
        port,
        logFile: path.join(tmp, `r${i}.log`),
      });
      replicas.push(r);
      await waitReady(r);
    }
    await waitFor('the catalog through the load balancer', async () => {
      const res = await fetch(
        `${lb.baseUrl}/api/catalog/entities/by-name/tenant/default/project-birds`,
        { headers: { Authorization: `Bearer ${ciToken}` } },
      );
      await res.arrayBuffer();
      return res.status === 200 ? true : undefined;
    });
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
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loses nothing, half-stores nothing, runs scheduled work once, and SIGTERM fails no request', async () => {
    const auth = { Authorization: `Bearer ${ciToken}` };
    const outcomes: Outcome[] = [];
    let phase: Outcome['phase'] = 'steady';
    let stop = false;
    let seq = 0;
    const packetDir = writePacket(
      path.join(tmp, 'packet'),
      acceptanceFiles('Topology packet'),
    );
    const packet = fs.readFileSync(
      tarGz(packetDir, path.join(tmp, 'packet.tgz')),
    );

    const record = async (
      kind: string,
      id: string,
      request: () => Promise<Response>,
    ) => {
      const at = phase;
      let status = 0;
      try {
        const res = await request();
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      // A request in flight when the phase changed belongs to both: the SIGKILL window is the
      // one that may fail requests, so it wins.
      const ended = phase;
      outcomes.push({
        kind,
        id,
        status,
        phase: at === 'sigkill' || ended === 'sigkill' ? 'sigkill' : ended,
      });
    };

    const writers = {
      drift: async () => {
        const id = `https://ci.example.com/topology/${seq++}`;
        await record('drift-write', id, () =>
          fetch(`${lb.baseUrl}/api/drift/runs`, {
            method: 'POST',
            headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({
              source: 'ci/topology',
              environment: 'samakia-dev',
              tenant: 'project-birds',
              runUrl: id,
              findings: ['a', 'b'].map(r => ({
                provider: 'postgres',
                resource: `birds-dev/${r}`,
                class: 'in-sync',
                verdict: 'PASS',
                declared: 1,
                observed: 1,
              })),
            }),
          }),
        );
      },
      evidence: async () => {
        const n = seq++;
        const timestamp = new Date(Date.UTC(2026, 0, 1) + n * 1000)
          .toISOString()
          .replace('.000Z', 'Z');
        await record('evidence-write', timestamp, () =>
          fetch(
            `${lb.baseUrl}/api/evidence/packets?area=tenants&subject=project-birds&timestamp=${timestamp}`,
            {
              method: 'POST',
              headers: { ...auth, 'Content-Type': 'application/gzip' },
              body: packet,
            },
          ),
        );
      },
    };
    const reads = [
      '/api/catalog/entities/by-query?filter=kind=tenant&limit=20',
      // No proposal carries this change (proposals need a signed-in user): the gate answers 404.
      '/api/approvals/gate?tenant=project-birds&changeRef=topology-none',
      '/api/approvals/proposals?tenant=project-birds&limit=20',
      '/api/evidence/packets?tenant=project-birds&limit=20',
      '/api/drift/current?tenant=project-birds',
    ];
    const reader = async (i: number) => {
      const url = reads[i % reads.length];
      await record(`read ${url.split('?')[0]}`, url, () =>
        fetch(`${lb.baseUrl}${url}`, { headers: auth }),
      );
    };

    const workers = [
      (async () => {
        while (!stop) await writers.drift();
      })(),
      (async () => {
        while (!stop) await writers.evidence();
      })(),
      ...[0, 1, 2].map(w =>
        (async () => {
          let i = w;
          while (!stop) await reader(i++);
        })(),
      ),
    ];

    const started = Date.now();
    const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
    await sleep(10_000);

    // SIGKILL replica 0 and start it again.
    phase = 'sigkill';
    replicas[0].child.kill('SIGKILL');
    await replicas[0].exited;
    replicas[0] = await startImage(image, env(ports[0]), {
      port: ports[0],
      logFile: path.join(tmp, 'r0.log'),
    });
    await waitReady(replicas[0]);
    // Let the load balancer's checks see it (rise 2) before the next disruption.
    await sleep(3_000);

    // SIGTERM replica 1, wait for its exit, start it again.
    phase = 'sigterm';
    replicas[1].child.kill('SIGTERM');
    expect(await replicas[1].exited).toBe(0);
    replicas[1] = await startImage(image, env(ports[1]), {
      port: ports[1],
      logFile: path.join(tmp, 'r1.log'),
    });
    await waitReady(replicas[1]);
    await sleep(Math.max(3_000, LOAD_MS - (Date.now() - started)));
    stop = true;
    await Promise.all(workers);
    const loadSeconds = (Date.now() - started) / 1000;

    // The SIGTERM restart failed nothing; the SIGKILL may fail what was in flight on that replica.
    const failed = (o: Outcome) => o.status === 0 || o.status >= 500;
    expect(outcomes.filter(o => o.phase !== 'sigkill' && failed(o))).toEqual(
      [],
    );
    expect(outcomes.filter(o => o.phase === 'sigterm').length).toBeGreaterThan(
      0,
    );
    // Nothing else than success or the SIGKILL's losses: no 4xx from the load (but the gate's
    // "no such change").
    const expected = (o: Outcome) =>
      (o.status >= 200 && o.status < 300) ||
      (o.kind === 'read /api/approvals/gate' && o.status === 404);
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

    // The evidence rescan: once per interval across the three replicas, not once per replica.
    const rescans = fs
      .readdirSync(tmp)
      .filter(f => /^r\d\.log$/.test(f))
      .map(f => fs.readFileSync(path.join(tmp, f), 'utf8'))
      .join('\n')
      .split('\n')
      .filter(l => l.includes('Evidence rescan:')).length;
    const sinceStart = loadSeconds + 60;
    expect(rescans).toBeGreaterThan(0);
    expect(rescans).toBeLessThanOrEqual(
      Math.ceil(sinceStart / RESCAN_SECONDS) + 3,
    );

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
      } drift runs, ${
        packets.length
      } packets stored; ${rescans} evidence rescans`,
    );
  });
});
