import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  acceptanceFiles,
  testEvidenceService,
  useOliviaSigner,
  writePacket,
} from '../__testUtils__';
import { applyMigrations } from './migrations';

// The upgrade path of migrations/20261214000000_packet_kind.js. A packets table as it was before
// it, holding a verified packet whose packet.json declares "kind": "eval-report" (written by the
// earlier indexer, which did not read kinds). The migration adds `packet_kind` and resets every
// stored fingerprint, so the next scan verifies the row again and it picks up its kind; without
// the reset the scan would find the packet unchanged and the kind would stay empty for good,
// which the control case shows. On SQLite and PostgreSQL.
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const MIGRATIONS = resolvePackagePath(
  '@internal/plugin-evidence-backend',
  'migrations',
);
const PACKET_KIND_MIGRATION = '20261214000000_packet_kind.js';
const TABLES = ['evidence_packets', 'evidence_files', 'evidence_links'];

const olivia = useOliviaSigner();
let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-kind-migration-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the migrations one by one up to (not including) `name`. */
async function migrateUpTo(knex: Knex, name: string) {
  for (;;) {
    const [, pending] = (await knex.migrate.list({
      directory: MIGRATIONS,
    })) as [unknown, Array<{ file: string }>];
    if (pending.length === 0 || pending[0].file === name) return;
    await knex.migrate.up({ directory: MIGRATIONS });
  }
}

function service(knex: Knex, root: string) {
  return testEvidenceService({
    db: knex,
    root,
    dataDir: path.join(root, '..', 'data'),
    keyrings: olivia.keyrings,
  });
}

describe.each(databases.eachSupportedId())(
  'the packet_kind migration on %s',
  databaseId => {
    it('re-verifies the rows written before it on the next scan, which fills in their kind', async () => {
      const root = path.join(tmp, databaseId, 'root');
      const rel = 'evidence/tenants/project-birds/2026-02-01T08:00:00Z';
      const dir = path.join(root, ...rel.split('/'));
      const files = acceptanceFiles();
      files['packet.json'] = JSON.stringify({
        title: 'birds-api eval',
        tenant: 'project-birds',
        kind: 'eval-report',
      });
      writePacket(dir, files);
      olivia.signManifest(dir);

      // The row as the indexer writes it, from a scan on an up-to-date database; the earlier
      // indexer wrote the same row without the kind (it did not read one).
      const current = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(current);
      await service(current, root).rescan();
      const rows = Object.fromEntries(
        await Promise.all(
          TABLES.map(async t => [t, await current(t).select()] as const),
        ),
      );
      expect(rows.evidence_packets).toHaveLength(1);
      const written = rows.evidence_packets[0];
      expect(written).toMatchObject({
        verdict: 'verified',
        packet_kind: 'eval-report',
      });

      // Control: a row without its kind and with its fingerprint is never verified again.
      await current('evidence_packets').update({ packet_kind: null });
      const idle = await service(current, root).rescan();
      expect(idle).toMatchObject({ updated: 0, unchanged: 1 });
      expect(
        (await current('evidence_packets').first()).packet_kind,
      ).toBeNull();

      // The database before the migration, holding that row.
      const knex = await databases.init(databaseId as TestDatabaseId);
      await migrateUpTo(knex, PACKET_KIND_MIGRATION);
      expect(
        await knex.schema.hasColumn('evidence_packets', 'packet_kind'),
      ).toBe(false);
      const { packet_kind: _kind, ...before } = written;
      await knex('evidence_packets').insert(before);
      for (const t of TABLES.slice(1)) {
        if (rows[t].length) await knex(t).insert(rows[t]);
      }

      await applyMigrations(knex);
      const migrated = await knex('evidence_packets').first();
      expect(migrated).toMatchObject({
        id: written.id,
        verdict: 'verified',
        packet_kind: null,
      });
      expect(migrated.fingerprint).not.toBe(written.fingerprint);

      const evidence = service(knex, root);
      const scan = await evidence.rescan();
      expect(scan).toMatchObject({ added: 0, updated: 1, errors: [] });
      const packet = (await evidence.packets.findBySourcePath(
        'root:ops',
        rel,
      ))!;
      expect(packet).toMatchObject({
        id: written.id,
        verdict: 'verified',
        kind: 'eval-report',
        fingerprint: written.fingerprint,
      });
      // Verified once: the scan after leaves it alone.
      expect(await evidence.rescan()).toMatchObject({
        updated: 0,
        unchanged: 1,
      });
    });
  },
);
