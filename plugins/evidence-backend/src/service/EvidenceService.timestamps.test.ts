import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  OLIVIA,
  TestTsa,
  acceptanceFiles,
  testEvidenceService,
  useOliviaSigner,
  writePacket,
} from '../__testUtils__';
import { applyMigrations } from '../database/migrations';
import { EvidenceService } from './EvidenceService';
import { TimestampTrust } from './timestamps';

// RFC 3161 timestamps through the whole service: real OpenSSL tokens next to real `gpg`
// signatures, indexed from a filesystem root and stored on SQLite and PostgreSQL.
jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const olivia = useOliviaSigner();
const tsa = new TestTsa('Samakia Test TSA');
const stranger = new TestTsa('Stranger TSA');

afterAll(() => {
  tsa.dispose();
  stranger.dispose();
});

/** A packet signed by Olivia and stamped by `authority` over its manifest. */
function stampedPacket(dir: string, authority: TestTsa, title: string) {
  writePacket(dir, acceptanceFiles(title));
  olivia.signManifest(dir);
  const manifest = path.join(dir, 'manifest.sha256');
  fs.writeFileSync(`${manifest}.tsr`, authority.stamp(manifest));
}

describe.each(databases.eachSupportedId())(
  'timestamped packets on %s',
  (databaseId: TestDatabaseId) => {
    let knex: Knex;
    let tmp: string;
    let root: string;
    const dirs: Record<string, string> = {};

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyMigrations(knex);
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-tsr-'));
      root = path.join(tmp, 'root');
      const at = (rel: string) => path.join(root, 'evidence', rel);
      dirs.trusted = at('tenants/project-birds/2026-02-01T08:00:00Z');
      dirs.stranger = at('tenants/project-birds/2026-02-02T08:00:00Z');
      dirs.copied = at('tenants/project-birds/2026-02-03T08:00:00Z');
      stampedPacket(dirs.trusted, tsa, 'stamped by the configured TSA');
      stampedPacket(dirs.stranger, stranger, 'stamped by a stranger');
      // A genuine token, but over the first packet's manifest.
      stampedPacket(dirs.copied, tsa, 'token copied from another packet');
      fs.copyFileSync(
        path.join(dirs.trusted, 'manifest.sha256.tsr'),
        path.join(dirs.copied, 'manifest.sha256.tsr'),
      );
    });

    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const service = (trust: TimestampTrust) =>
      testEvidenceService({
        db: knex,
        root,
        timestampTrust: trust,
        keyrings: olivia.keyrings,
      });

    const packet = async (svc: EvidenceService, dir: string) => {
      const rel = path.relative(root, dir).split(path.sep).join('/');
      const found = await svc.packets.findBySourcePath('root:ops', rel);
      if (!found) throw new Error(`not indexed: ${rel}`);
      return found;
    };

    it('verifies each token against the manifest and the configured authorities', async () => {
      const svc = service(
        TimestampTrust.fromAuthorities([
          { name: 'samakia-tsa', certificate: tsa.rootPem },
        ]),
      );
      expect(await svc.rescan()).toMatchObject({ added: 3, errors: [] });

      const trusted = await packet(svc, dirs.trusted);
      expect(trusted.verdict).toBe('verified');
      expect(trusted.reasons).toEqual([]);
      expect(trusted.signers).toEqual([OLIVIA]);
      expect(trusted.timestamps).toEqual([
        expect.objectContaining({
          file: 'manifest.sha256.tsr',
          status: 'valid',
          authority: 'samakia-tsa',
          hashAlgorithm: 'SHA-256',
          tsa: expect.stringContaining('Samakia Test TSA'),
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        }),
      ]);
      // The token is a side file: neither listed in the manifest nor counted as extra.
      const view = await svc.view(trusted);
      expect(view.files).toContainEqual(
        expect.objectContaining({
          path: 'manifest.sha256.tsr',
          kind: 'timestamp',
          status: 'meta',
        }),
      );

      const fromStranger = await packet(svc, dirs.stranger);
      expect(fromStranger.verdict).toBe('unsigned');
      expect(fromStranger.reasons).toEqual([
        expect.objectContaining({
          code: 'timestamp-untrusted',
          path: 'manifest.sha256.tsr',
          message: expect.stringContaining('evidence.timestampAuthorities'),
        }),
      ]);
      expect(fromStranger.timestamps[0]).toMatchObject({
        status: 'untrusted',
        tsa: expect.stringContaining('Stranger TSA'),
      });

      const copied = await packet(svc, dirs.copied);
      expect(copied.verdict).toBe('tampered');
      expect(copied.reasons.map(r => r.code)).toEqual(['timestamp-invalid']);
      expect(copied.reasons[0].message).toContain(
        'other content than this manifest',
      );
    });

    it('verifies again when the configured authorities change', async () => {
      const svc = service(
        TimestampTrust.fromAuthorities([
          { name: 'samakia-tsa', certificate: tsa.rootPem },
          { name: 'partner-tsa', certificate: stranger.rootPem },
        ]),
      );
      expect(await svc.rescan()).toMatchObject({ updated: 3, errors: [] });
      const fromStranger = await packet(svc, dirs.stranger);
      expect(fromStranger.verdict).toBe('verified');
      expect(fromStranger.timestamps[0]).toMatchObject({
        status: 'valid',
        authority: 'partner-tsa',
      });
      // Nothing changed since: nothing is verified again.
      expect(await svc.rescan()).toMatchObject({ updated: 0, unchanged: 3 });
    });
  },
);
