import path from 'node:path';
import { bootBackend, repoRoot, waitFor } from './support/bootBackend';
import { CI_TOKEN } from '@internal/fabric-test-utils';
import { devSignInAll } from './support/oidcFlow';
import {
  backendDatabase,
  pgDatabasePrefix,
} from './reliability/support/postgres';

// The failure-domain impact API on the real backend composition (backend.ts, app-config.yaml):
// users sign in through the real OpenID Connect flow, the Fabric permission policy decides
// what the catalog shows them, and the impact is computed from what each caller may read.
// Nothing is mocked between the HTTP request and the answer.

jest.setTimeout(180_000);

// The auth session store's cleanup timer outlives backend.stop(); off (see support/sessionStore).
jest.mock('connect-session-knex', () =>
  jest.requireActual('./support/sessionStore').withoutCleanup(),
);

const ciToken = CI_TOKEN;
// A token that may call this plugin but not read the catalog through it.
const driftOnlyToken = 'drift-only-token-for-this-test';
const restrictions = (fabricOps: string[]) => [
  { plugin: 'catalog', permission: ['catalog.entity.read'] },
  { plugin: 'fabric-ops', permission: fabricOps },
];

// Once on SQLite, once on the PostgreSQL of the test run (one database per plugin).
describe.each(['sqlite', 'postgres'] as const)(
  'operations views on the real composition (%s)',
  dbKind => {
    const pg = dbKind === 'postgres' ? pgDatabasePrefix('ops') : undefined;
    let backend: Awaited<ReturnType<typeof bootBackend>>;
    const tokens: Record<'bea' | 'olivia' | 'wendy', string> = {
      bea: '',
      olivia: '',
      wendy: '',
    };

    async function impact(token: string | undefined, domain: string) {
      const res = await fetch(
        `${backend.baseUrl}/api/fabric-ops/impact?failureDomain=${domain}`,
        { headers: token ? { Authorization: `Bearer ${token}` } : {} },
      );
      return {
        status: res.status,
        body: await res.json().catch(() => undefined),
      };
    }

    async function health(token: string | undefined, entity: string) {
      const res = await fetch(
        `${backend.baseUrl}/api/fabric-ops/health?entity=${encodeURIComponent(
          entity,
        )}`,
        { headers: token ? { Authorization: `Bearer ${token}` } : {} },
      );
      return {
        status: res.status,
        body: await res.json().catch(() => undefined),
      };
    }

    const tenantsOf = (body: any): string[] =>
      body.tenants.map((t: { ref: string }) => t.ref);

    beforeAll(async () => {
      backend = await bootBackend({
        configs: ['app-config.yaml'],
        dataFolders: true,
        extraConfig: () => ({
          backend: {
            database: backendDatabase(pg?.prefix),
            // Replaces the list of app-config.yaml (lists are not merged).
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: ciToken, subject: 'fabric-ci' },
                  accessRestrictions: restrictions(['catalog.entity.read']),
                },
                {
                  type: 'static',
                  options: { token: driftOnlyToken, subject: 'drift-only' },
                  accessRestrictions: restrictions(['drift.report.read']),
                },
              ],
            },
          },
          fabricOps: {
            missionControl: {
              leasesFile: path.join(
                repoRoot,
                'plugins/fabric-ops-backend/samples/mission-control-leases.json',
              ),
            },
          },
          evidence: { rescan: { initialDelay: { seconds: 1 } } },
        }),
      });
      // Loaded once CI's answer names the three tenants.
      await waitFor('the catalog to load', async () => {
        const { status, body } = await impact(ciToken, 'proxmox1');
        if (status === 200 && body.tenants.length === 3) return body;
        // Reported by waitFor if the catalog never gets there.
        throw new Error(`${status} ${JSON.stringify(body).slice(0, 300)}`);
      });
      // The sample root's acceptance packets are indexed.
      await waitFor('the sample packets', async () => {
        const { status, body } = await health(ciToken, 'plane:default/minio');
        if (status === 200 && body.status !== 'missing') return body;
        throw new Error(`${status} ${JSON.stringify(body).slice(0, 300)}`);
      });
      Object.assign(
        tokens,
        await devSignInAll(backend.baseUrl, {
          bea: 'bea.birds',
          olivia: 'olivia.operator',
          wendy: 'wendy.web',
        }),
      );
    });

    afterAll(async () => {
      await backend?.stop();
      await pg?.drop();
    });

    it('gives an operator and CI the whole answer for proxmox1', async () => {
      for (const token of [tokens.olivia, ciToken]) {
        const { status, body } = await impact(token, 'proxmox1');
        expect(status).toBe(200);
        expect(body.hosts.map((h: { name: string }) => h.name)).toEqual([
          'dns-edge-1',
          'minio-1',
          'minio-edge-1',
        ]);
        expect(tenantsOf(body)).toEqual([
          'tenant:default/project-birds',
          'tenant:default/project-harbor',
          'tenant:default/project-orchard',
        ]);
      }
    });

    it('names only the caller’s own tenant to a tenant member, with the same platform facts', async () => {
      const asBea = await impact(tokens.bea, 'proxmox2');
      const asOlivia = await impact(tokens.olivia, 'proxmox2');
      expect(asBea.status).toBe(200);
      expect(tenantsOf(asBea.body)).toEqual(['tenant:default/project-birds']);
      expect(JSON.stringify(asBea.body)).not.toContain('project-orchard');
      expect(JSON.stringify(asBea.body)).not.toContain('project-harbor');
      expect(asBea.body.services).toEqual(asOlivia.body.services);
      expect(asBea.body.vips).toEqual(asOlivia.body.vips);
    });

    it('names no tenant to a signed-in user whose team owns none', async () => {
      const { status, body } = await impact(tokens.wendy, 'proxmox3');
      expect(status).toBe(200);
      expect(body.tenants).toEqual([]);
      expect(body.hosts.length).toBe(2);
    });

    it('refuses a token whose restrictions do not grant it catalog reads through this plugin', async () => {
      const { status, body } = await impact(driftOnlyToken, 'proxmox1');
      expect(status).toBe(403);
      expect(body.error.message).toContain('catalog.entity.read');
    });

    it('refuses anonymous callers and names the field of a bad query', async () => {
      expect((await impact(undefined, 'proxmox1')).status).toBe(401);
      const bad = await impact(tokens.bea, 'proxmox4');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('failureDomain');
    });

    it('shows an operator the MinIO plane health from the sample packets: stale runs, quorum and VIP holder observed', async () => {
      const { status, body } = await health(
        tokens.olivia,
        'plane:default/minio',
      );
      expect(status).toBe(200);
      expect(body.access).toBe('platform');
      // The samples are from 2026-01-02; the default limit is seven days.
      expect(body.staleAfterMs).toBe(168 * 3_600_000);
      expect(
        body.targets.map((t: any) => [t.target, t.status, t.latest?.result]),
      ).toEqual([
        ['minio.sdn.accept', 'stale', 'PASS'],
        ['minio.converged.accept', 'stale', 'PASS'],
        ['minio.quorum.guard', 'stale', 'PASS'],
        ['minio.failure.sim', 'stale', 'PASS'],
        ['milestone.phase1-12.verify', 'stale', 'PASS'],
      ]);
      expect(body.targets[4].latest.timestamp).toBe('2026-01-02T17:07:50.000Z');
      expect(body.observations.quorum).toEqual(
        expect.objectContaining({ value: 'ok', target: 'minio.quorum.guard' }),
      );
      expect(body.observations.vipHolder.value).toBe('minio-edge-1');
      expect(body.problems).toEqual([]);
    });

    it('shows 254Carbon data services with their backup run beside the declared RPO/RTO (stale here), and none on a plane that names no backup run', async () => {
      const { status, body } = await health(
        tokens.olivia,
        'plane:default/data-services',
      );
      expect(status).toBe(200);
      expect(body.targets).toEqual([
        expect.objectContaining({
          target: 'backup-run',
          status: 'stale',
          latest: expect.objectContaining({
            result: 'PASS',
            timestamp: '2026-04-19T02:00:00.000Z',
            packetId: expect.any(String),
          }),
        }),
      ]);
      // A plane that names no backup run shows none rather than borrowing another's.
      const core = await health(
        tokens.olivia,
        'plane:default/core-platform-services',
      );
      expect([core.status, core.body?.targets]).toEqual([200, []]);
    });

    it('shows a tenant member the health of a plane its tenant consumes, and refuses one it does not', async () => {
      const dns = await health(tokens.bea, 'plane:default/dns');
      expect(dns.status).toBe(200);
      expect(dns.body.access).toBe('consumer');
      expect(dns.body.observations.vipHolder.value).toBe('dns-edge-1');
      const minio = await health(tokens.bea, 'plane:default/minio');
      expect(minio.status).toBe(403);
      expect(minio.body.error.message).toContain(
        'none of your tenants consumes it',
      );
      expect((await health(tokens.wendy, 'plane:default/dns')).status).toBe(
        403,
      );
    });

    it('lists the open proposals of the consuming tenants on the health card, to each caller as far as it may read them', async () => {
      const submitted = await fetch(
        `${backend.baseUrl}/api/approvals/proposals`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${tokens.bea}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            tenant: 'project-birds',
            type: 'other',
            environment: 'samakia-dev',
            title: 'Move the birds zone records',
            change: { description: 'Move the birds zone records' },
          }),
        },
      );
      expect(submitted.status).toBe(201);
      const { id } = await submitted.json();
      const titles = (body: any) =>
        body.openProposals.map((p: { id: string }) => p.id);
      // Birds consume the DNS plane: its member and an operator both see the proposal.
      const asBea = await health(tokens.bea, 'plane:default/dns');
      expect(asBea.body.access).toBe('consumer');
      expect(titles(asBea.body)).toContain(id);
      expect(
        titles((await health(tokens.olivia, 'plane:default/dns')).body),
      ).toContain(id);
      // The MinIO plane is not theirs: the proposal is not listed there.
      expect(
        titles((await health(tokens.olivia, 'plane:default/minio')).body),
      ).not.toContain(id);
    });

    it('shows operators and CI the Mission Control claim leases and refuses tenant members', async () => {
      const leases = (token: string) =>
        fetch(`${backend.baseUrl}/api/fabric-ops/mission-control/leases`, {
          headers: { Authorization: `Bearer ${token}` },
        });
      const asOlivia = await leases(tokens.olivia);
      expect(asOlivia.status).toBe(200);
      const body = await asOlivia.json();
      expect(body.leases).toEqual([
        expect.objectContaining({
          taskId: 99927,
          holder: 'john:abc123',
          state: 'expired',
        }),
      ]);
      // The server's path of the export is not shown.
      expect(JSON.stringify(body)).not.toContain('samples/');
      expect((await leases(tokens.bea)).status).toBe(403);
      expect((await leases(tokens.wendy)).status).toBe(403);
    });

    it('gives CI the health, names the field of a bad query and hides what does not exist', async () => {
      const ci = await health(ciToken, 'component:default/minio');
      expect(ci.status).toBe(200);
      // The CI token may not read proposals: the card says nothing rather than "none".
      expect(ci.body.openProposals).toBeUndefined();
      const bad = await health(ciToken, 'tenant:default/project-birds');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('entity');
      expect((await health(tokens.olivia, 'plane:default/nope')).status).toBe(
        404,
      );
      expect((await health(undefined, 'plane:default/dns')).status).toBe(401);
    });
  },
);
