import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { uploadQuerySchema } from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import { applyMigrations } from '../database/migrations';
import { UploadClaimStore } from '../database/UploadClaimStore';
import {
  acceptanceFiles,
  startS3Server,
  tarGz,
  testEvidenceService,
  useOliviaSigner,
  writePacket,
} from '../__testUtils__';
import { createS3Client } from './createUploadStorage';
import { S3UploadStorage } from './S3UploadStorage';
import { LocalUploadStorage, UploadStorage } from './UploadStorage';

// Two replicas of the evidence service (separate processes' state: own cache folders, own
// service objects) on one database and one S3 server (@20minutes/s3rver, started here on
// loopback). A packet uploaded through one is scanned, verified, previewed and downloaded the
// same through the other; the other's rescan does not report it removed; of simultaneous uploads
// of one packet path with different content exactly one is stored; a damaged object is never
// served. For contrast, replicas on their own local disks (the local default) lose exactly that.

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const olivia = useOliviaSigner();

const query = (timestamp: string) =>
  uploadQuerySchema.parse({
    area: 'tenants',
    subject: 'project-birds',
    timestamp,
  });

describe.each(databases.eachSupportedId())(
  'evidence uploads in object storage, two replicas, on %s',
  databaseId => {
    let db: Knex;
    let s3: Awaited<ReturnType<typeof startS3Server>>;
    let tmp: string;
    const archives: Record<'signed' | 'other', string> = {} as any;

    beforeAll(async () => {
      db = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(db);
      s3 = await startS3Server(['evidence']);
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-s3-replicas-'));
      const signed = path.join(tmp, 'packet-signed');
      writePacket(signed, acceptanceFiles('Birds DR test'));
      olivia.signManifest(signed);
      archives.signed = tarGz(signed, path.join(tmp, 'signed.tgz'));
      const other = path.join(tmp, 'packet-other');
      writePacket(other, acceptanceFiles('Something else'));
      archives.other = tarGz(other, path.join(tmp, 'other.tgz'));
      fs.mkdirSync(path.join(tmp, 'root'));
    });

    afterAll(async () => {
      await s3?.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** A replica's object storage: the shared bucket, a cache folder of its own. */
    function s3Storage(name: string) {
      return new S3UploadStorage({
        bucket: 'evidence',
        prefix: `${databaseId}/`,
        client: createS3Client({
          endpoint: s3.endpoint,
          region: s3.region,
          forcePathStyle: true,
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        }),
        cacheDir: path.join(tmp, `cache-${name}`),
        claims: new UploadClaimStore(db),
      });
    }

    function replica(name: string, storage?: UploadStorage) {
      return testEvidenceService({
        db,
        root: path.join(tmp, 'root'),
        keyrings: olivia.keyrings,
        storage: storage ?? s3Storage(name),
      });
    }

    it('serves a packet uploaded through one replica from the other, and its rescan keeps it', async () => {
      const a = replica('a');
      const b = replica('b');
      const uploaded = await a.upload(
        fs.createReadStream(archives.signed),
        query('2026-03-01T10:00:00Z'),
      );
      expect(uploaded).toMatchObject({
        created: true,
        packet: { verdict: 'verified', source: 'upload' },
      });

      const packet = await b.get(uploaded.packet.id);
      const view = await b.view(packet);
      expect(view.summary?.text).toContain('Birds DR test');
      const { stream } = await b.download(packet, 'summary.md');
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toContain('Birds DR test');

      const rescan = await b.rescan();
      expect(rescan.errors).toEqual([]);
      expect(rescan.removed).toBe(0);
      expect((await b.get(uploaded.packet.id)).verdict).toBe('verified');

      // The same content again through B: already stored, not a new packet.
      const again = await b.upload(
        fs.createReadStream(archives.signed),
        query('2026-03-01T10:00:00Z'),
      );
      expect(again).toMatchObject({
        created: false,
        packet: { id: uploaded.packet.id },
      });
    });

    it('does not report removed a packet another replica stored after this replica synced', async () => {
      const a = replica('late-a');
      // B's next rescan synced before A's upload landed: that sync brings nothing new.
      const late = s3Storage('late-b');
      const b = replica('late-b', late);
      await a.upload(
        fs.createReadStream(archives.signed),
        query('2026-03-04T09:00:00Z'),
      );
      await b.rescan(); // B's cache holds what was stored so far
      late.sync = async () => 0;
      const uploaded = await a.upload(
        fs.createReadStream(archives.signed),
        query('2026-03-04T10:00:00Z'),
      );
      const rescan = await b.rescan();
      expect(rescan.removed).toBe(0);
      expect(await b.get(uploaded.packet.id)).toMatchObject({
        verdict: 'verified',
        reasons: [],
      });
    });

    it('stores exactly one of simultaneous uploads of one path with different content', async () => {
      const a = replica('c');
      const b = replica('d');
      const q = query('2026-03-02T10:00:00Z');
      const outcomes = await Promise.allSettled([
        a.upload(fs.createReadStream(archives.signed), q),
        b.upload(fs.createReadStream(archives.other), q),
      ]);
      const stored = outcomes.filter(o => o.status === 'fulfilled');
      const refused = outcomes.filter(o => o.status === 'rejected');
      expect(stored).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason.name).toBe(
        'ConflictError',
      );
      const winner = (stored[0] as PromiseFulfilledResult<any>).value.packet;
      // Whoever won, both replicas now read the winner's content.
      for (const r of [a, b]) {
        const packet = await r.get(winner.id);
        expect((await r.view(packet)).summary?.text).toContain(
          outcomes[0].status === 'fulfilled'
            ? 'Birds DR test'
            : 'Something else',
        );
      }
    });

    it('never serves an object that differs from what was stored', async () => {
      const a = replica('e');
      const uploaded = await a.upload(
        fs.createReadStream(archives.signed),
        query('2026-03-03T10:00:00Z'),
      );
      // Someone with write access to the bucket changes a file behind the portal's back.
      const objects: string[] = [];
      const walk = (dir: string) => {
        for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
          const abs = path.join(dir, d.name);
          if (d.isDirectory()) walk(abs);
          else objects.push(abs);
        }
      };
      walk(s3.directory);
      const summary = objects.find(
        o =>
          o.includes('2026-03-03T10:00:00Z') &&
          o.includes(`${path.sep}summary.md`) &&
          !o.endsWith('.json'),
      );
      expect(summary).toBeDefined();
      fs.writeFileSync(summary!, '# Birds DR test\n\nall good, trust me\n');

      const fresh = replica('f');
      const packet = await fresh.get(uploaded.packet.id);
      await expect(fresh.download(packet, 'summary.md')).rejects.toThrow(
        /different content/,
      );
    });

    it('trusts no cached copy that object storage does not hold', async () => {
      // A cache left over from another store (a reused node, a recreated bucket) holds a packet
      // at the path about to be uploaded.
      const stale = path.join(
        tmp,
        'cache-stale',
        'evidence/tenants/project-birds/2026-03-05T10:00:00Z',
      );
      writePacket(stale, acceptanceFiles('Stale leftover'));
      fs.writeFileSync(`${stale}.digest`, 'f'.repeat(64));
      const r = replica('stale');
      const uploaded = await r.upload(
        fs.createReadStream(archives.signed),
        query('2026-03-05T10:00:00Z'),
      );
      expect(uploaded.created).toBe(true);
      const view = await r.view(await r.get(uploaded.packet.id));
      expect(view.summary?.text).toContain('Birds DR test');
    });

    it('(the local default on two replicas, for contrast) reports the other replica’s upload as removed', async () => {
      fs.mkdirSync(path.join(tmp, 'disk-g'));
      fs.mkdirSync(path.join(tmp, 'disk-h'));
      const a = replica('g', new LocalUploadStorage(path.join(tmp, 'disk-g')));
      const b = replica('h', new LocalUploadStorage(path.join(tmp, 'disk-h')));
      const uploaded = await a.upload(
        fs.createReadStream(archives.signed),
        query('2026-03-04T10:00:00Z'),
      );
      const rescan = await b.rescan();
      expect(rescan.removed).toBeGreaterThan(0);
      expect(JSON.stringify((await b.get(uploaded.packet.id)).reasons)).toMatch(
        /removed/,
      );
    });
  },
);
