import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { uploadQuerySchema } from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import {
  OLIVIA,
  acceptanceFiles,
  tarGz,
  testEvidenceService,
  useSigners,
  writePacket,
} from '../__testUtils__';
import { applyMigrations } from '../database/migrations';
import { EvidenceService } from './EvidenceService';
import { EvidenceSettings } from './settings';

// The acceptance packets of the issue, built in the test with the real `sha256sum` and `gpg`,
// indexed from a filesystem root and through the upload path, on SQLite and PostgreSQL
// (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING; there is no Docker here).
jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const OSCAR = 'user:default/oscar.operator';
const ADA = 'user:default/ada.admin';
const BIRDS = 'tenant:default/project-birds';
const TS = '2026-01-02T17:07:50Z';
const SECRET_PASSWORD = 'hunter2-correct-horse';
const SECRET_AWS = 'AKIAIOSFODNN7EXAMPLQ';

const { gpg, keyrings } = useSigners([
  { owner: OLIVIA, uid: 'Olivia <olivia@example.com>' },
  { owner: OSCAR, uid: 'Oscar <oscar@example.com>' },
  { owner: ADA, uid: 'Operators <ops@example.com>' },
  // Mallory's key claims Olivia's name, but nobody registered it.
  { uid: 'Olivia <olivia.operator@example.com>' },
]);

function sign(dir: string, out: string, ...users: string[]) {
  fs.mkdirSync(path.dirname(path.join(dir, out)), { recursive: true });
  gpg.detachSign(
    path.join(dir, 'manifest.sha256'),
    path.join(dir, out),
    ...users,
  );
}

/** A packet of `files` (the acceptance files unless given) with its manifest signed by Olivia. */
function signedByOlivia(dir: string, files = acceptanceFiles()) {
  writePacket(dir, files);
  sign(dir, 'manifest.sha256.asc', 'olivia@example.com');
}

/** The root of the acceptance cases; returns packet folders by case name. */
function buildRoot(root: string) {
  const p = (rel: string) => path.join(root, 'evidence', rel);
  const cases = {
    oneSigner: p(`tenants/project-birds/${TS}`),
    twoSigners: p(`milestones/phase1-12/${TS}`),
    oneOfTwo: p('milestones/phase1-12/2026-01-03T08:00:00Z'),
    bothInOneFile: p('milestones/phase13/2026-01-04T08:00:00Z'),
    modified: p('tenants/project-birds/2026-01-05T08:00:00Z'),
    missing: p('tenants/project-birds/2026-01-06T08:00:00Z'),
    extra: p('tenants/project-birds/2026-01-07T08:00:00Z'),
    forgedKey: p('tenants/project-orchard/2026-01-08T08:00:00Z'),
    otherManifest: p('tenants/project-orchard/2026-01-09T08:00:00Z'),
    secret: p('tenants/project-harbor/2026-01-10T08:00:00Z'),
    symlink: p('tenants/project-harbor/2026-01-11T08:00:00Z'),
    unsigned: p('bindings-verify/project-birds/2026-01-12T08:00:00Z'),
    jsonManifest: p('images/vm/2026-01-13T08:00:00Z'),
  };

  signedByOlivia(cases.oneSigner);

  writePacket(
    cases.twoSigners,
    acceptanceFiles('Milestone phase 1-12 verification'),
  );
  sign(cases.twoSigners, 'signatures/olivia.asc', 'olivia@example.com');
  sign(cases.twoSigners, 'signatures/oscar.asc', 'oscar@example.com');

  writePacket(cases.oneOfTwo, acceptanceFiles('Milestone re-run'));
  sign(cases.oneOfTwo, 'signatures/olivia.asc', 'olivia@example.com');

  writePacket(cases.bothInOneFile, acceptanceFiles('Phase 13 design'));
  sign(
    cases.bothInOneFile,
    'manifest.sha256.asc',
    'olivia@example.com',
    'ops@example.com',
  );

  signedByOlivia(cases.modified);
  fs.appendFileSync(
    path.join(cases.modified, 'steps/02-verify/stdout.log'),
    'and one more line\n',
  );

  signedByOlivia(cases.missing);
  fs.rmSync(path.join(cases.missing, 'steps/01-plan/stderr.log'));

  signedByOlivia(cases.extra);
  fs.writeFileSync(
    path.join(cases.extra, 'steps/02-verify/notes.txt'),
    'added later\n',
  );

  writePacket(cases.forgedKey, acceptanceFiles());
  sign(cases.forgedKey, 'manifest.sha256.asc', 'olivia.operator@example.com');

  // Olivia's genuine signature, but over another packet's manifest.
  writePacket(cases.otherManifest, acceptanceFiles('orchard'));
  fs.copyFileSync(
    path.join(cases.oneSigner, 'manifest.sha256.asc'),
    path.join(cases.otherManifest, 'manifest.sha256.asc'),
  );

  signedByOlivia(cases.secret, {
    ...acceptanceFiles(),
    'steps/02-verify/stdout.log': `connecting\nDB_PASSWORD=${SECRET_PASSWORD}\naws key ${SECRET_AWS} in use\npassword=\${DB_PASSWORD} is fine\n`,
  });

  // The manifest was made over a real file; the file was then swapped for a link out.
  signedByOlivia(cases.symlink);
  const outside = path.join(root, 'outside-secret.txt');
  fs.writeFileSync(outside, 'not part of any packet\n');
  fs.rmSync(path.join(cases.symlink, 'steps/01-plan/stdout.log'));
  fs.symlinkSync(outside, path.join(cases.symlink, 'steps/01-plan/stdout.log'));

  writePacket(cases.unsigned, acceptanceFiles('bindings verify'));

  writePacket(cases.jsonManifest, acceptanceFiles('vm image build'), {
    manifest: false,
  });
  const sha = (rel: string) =>
    execFileSync('sha256sum', [rel], {
      cwd: cases.jsonManifest,
      encoding: 'utf8',
    }).split(' ')[0];
  fs.writeFileSync(
    path.join(cases.jsonManifest, 'manifest.json'),
    JSON.stringify({
      algorithm: 'sha256',
      files: Object.keys(acceptanceFiles()).map(rel => ({
        path: rel,
        sha256: sha(rel),
      })),
    }),
  );
  gpg.detachSign(
    path.join(cases.jsonManifest, 'manifest.json'),
    path.join(cases.jsonManifest, 'manifest.json.asc'),
    'oscar@example.com',
  );

  fs.mkdirSync(path.join(root, 'acceptance'));
  fs.writeFileSync(
    path.join(root, 'acceptance/PHASE11_PART3_ACCEPTED.md'),
    `# Phase 11 Part 3 accepted\n\nEvidence: \`evidence/tenants/project-birds/${TS}\`\n`,
  );
  return cases;
}

async function setUp(
  databaseId: TestDatabaseId,
  upload?: Partial<EvidenceSettings['upload']>,
) {
  const knex: Knex = await databases.init(databaseId);
  await applyMigrations(knex);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-test-'));
  const root = path.join(tmp, 'root');
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(root);
  const cases = buildRoot(root);
  const service = testEvidenceService({
    db: knex,
    root,
    dataDir,
    upload,
    keyrings,
  });
  return { knex, tmp, root, dataDir, cases, service };
}

async function byPath(service: EvidenceService, dir: string, root: string) {
  const rel = path.relative(root, dir).split(path.sep).join('/');
  const packet = await service.packets.findBySourcePath('root:ops', rel);
  if (!packet) throw new Error(`not indexed: ${rel}`);
  return packet;
}

const codes = (p: { reasons: Array<{ code: string }> }) =>
  p.reasons.map(r => r.code).sort();

describe.each(databases.eachSupportedId())(
  'evidence packets on %s',
  databaseId => {
    let ctx: Awaited<ReturnType<typeof setUp>>;

    beforeAll(async () => {
      ctx = await setUp(databaseId);
    });

    afterAll(() => fs.rmSync(ctx.tmp, { recursive: true, force: true }));

    it('indexes every case of the root with its verdict and reasons', async () => {
      const result = await ctx.service.rescan();
      expect(result).toMatchObject({
        scanned: 13,
        added: 13,
        updated: 0,
        errors: [],
        markers: 1,
      });
      const { service, cases, root } = ctx;
      const get = (dir: string) => byPath(service, dir, root);

      const one = await get(cases.oneSigner);
      expect(one).toMatchObject({
        verdict: 'verified',
        reasons: [],
        signers: [OLIVIA],
        tenant: BIRDS,
        area: 'tenants',
        subject: 'project-birds',
        timestamp: '2026-01-02T17:07:50.000Z',
        key: `tenants/project-birds/${TS}`,
        title: 'project-birds substrate acceptance',
        result: 'PASS',
        manifestFormat: 'sha256sum',
        fileCount: 10,
      });
      expect(one.signatures).toEqual([
        expect.objectContaining({
          status: 'valid',
          signer: OLIVIA,
          keySource: 'registered',
          file: 'manifest.sha256.asc',
          signedAt: expect.stringMatching(/^\d{4}-/),
        }),
      ]);
      expect(one.steps).toEqual([
        {
          name: '01-plan',
          exitCode: 0,
          stdout: 'steps/01-plan/stdout.log',
          stderr: 'steps/01-plan/stderr.log',
        },
        {
          name: '02-verify',
          exitCode: 0,
          stdout: 'steps/02-verify/stdout.log',
          stderr: 'steps/02-verify/stderr.log',
        },
      ]);

      expect(await get(cases.twoSigners)).toMatchObject({
        verdict: 'verified',
        signers: [OLIVIA, OSCAR],
        requiredSigners: 2,
        tenant: undefined,
      });
      const oneOfTwo = await get(cases.oneOfTwo);
      expect(oneOfTwo).toMatchObject({
        verdict: 'unsigned',
        signers: [OLIVIA],
      });
      expect(codes(oneOfTwo)).toEqual(['dual-control-unmet']);
      expect(await get(cases.bothInOneFile)).toMatchObject({
        verdict: 'verified',
        signers: [ADA, OLIVIA],
      });

      // [case, verdict, the one reason's code, the file it names]
      for (const [name, verdict, code, file] of [
        ['modified', 'tampered', 'file-modified', 'steps/02-verify/stdout.log'],
        ['missing', 'incomplete', 'file-missing', 'steps/01-plan/stderr.log'],
        ['extra', 'incomplete', 'file-extra', 'steps/02-verify/notes.txt'],
      ] as const) {
        const packet = await get(cases[name]);
        expect([name, packet.verdict]).toEqual([name, verdict]);
        expect(packet.reasons).toEqual([
          expect.objectContaining({ code, path: file }),
        ]);
      }

      const forged = await get(cases.forgedKey);
      expect(forged).toMatchObject({ verdict: 'unsigned', signers: [] });
      expect(codes(forged)).toEqual(['signer-unknown']);
      expect(forged.signatures).toEqual([
        expect.objectContaining({ status: 'unknown-key' }),
      ]);
      expect(forged.signatures[0].signer).toBeUndefined();
      const other = await get(cases.otherManifest);
      expect(other).toMatchObject({ verdict: 'tampered', signers: [] });
      expect(other.signatures).toEqual([
        expect.objectContaining({ status: 'invalid', signer: OLIVIA }),
      ]);
      expect(codes(other)).toEqual(['signature-invalid']);

      const secret = await get(cases.secret);
      expect(secret.verdict).toBe('redaction-failed');
      expect(codes(secret)).toEqual(['secret-found']);
      const secretFile = await service.packets.file(
        secret.id,
        'steps/02-verify/stdout.log',
      );
      expect(secretFile?.findings).toEqual([
        { rule: 'password-assignment', line: 2 },
        { rule: 'aws-access-key-id', line: 3 },
      ]);

      const symlink = await get(cases.symlink);
      expect(symlink.verdict).toBe('tampered');
      expect(symlink.reasons).toEqual([
        expect.objectContaining({
          code: 'unsafe-entry',
          path: 'steps/01-plan/stdout.log',
          message: expect.stringContaining('leaves the packet'),
        }),
      ]);

      const unsigned = await get(cases.unsigned);
      expect(unsigned).toMatchObject({ verdict: 'unsigned', tenant: BIRDS });
      expect(codes(unsigned)).toEqual(['signature-missing']);

      expect(await get(cases.jsonManifest)).toMatchObject({
        verdict: 'verified',
        manifestFormat: 'json',
        signers: [OSCAR],
      });
    });

    it('never stores or returns the secret itself', async () => {
      const secret = await byPath(ctx.service, ctx.cases.secret, ctx.root);
      const dump = JSON.stringify([
        await ctx.knex('evidence_packets').select(),
        await ctx.knex('evidence_files').select(),
      ]);
      expect(dump).not.toContain(SECRET_PASSWORD);
      expect(dump).not.toContain(SECRET_AWS);
      const view = await ctx.service.view(secret);
      expect(JSON.stringify(view)).not.toContain(SECRET_PASSWORD);
      const preview = await ctx.service.preview(
        secret,
        'steps/02-verify/stdout.log',
      );
      expect(preview).toMatchObject({ masked: true, truncated: false });
      expect(preview.text).toBe(
        'connecting\nDB_PASSWORD=[REDACTED:password-assignment]\naws key [REDACTED:aws-access-key-id] in use\npassword=${DB_PASSWORD} is fine\n',
      );
      await expect(
        ctx.service.download(secret, 'steps/02-verify/stdout.log'),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
    });

    it('serves summaries and logs, and refuses paths out of the packet', async () => {
      const one = await byPath(ctx.service, ctx.cases.oneSigner, ctx.root);
      const view = await ctx.service.view(one);
      expect(view.summary?.text).toContain(
        '# project-birds substrate acceptance',
      );
      expect(view.markers).toEqual([
        {
          source: 'root:ops',
          path: 'acceptance/PHASE11_PART3_ACCEPTED.md',
          title: 'Phase 11 Part 3 accepted',
        },
      ]);
      expect(
        view.files.find(f => f.path === 'manifest.sha256.asc'),
      ).toMatchObject({ status: 'meta', kind: 'signature' });
      expect(
        (await ctx.service.preview(one, 'steps/02-verify/stdout.log')).text,
      ).toContain('OK\n');
      const { stream } = await ctx.service.download(
        one,
        './steps/02-verify/stdout.log',
      );
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).toString()).toContain('rabbitmq reachable');

      for (const bad of [
        '../../outside-secret.txt',
        '/etc/passwd',
        'steps/../../x',
        'C:\\x',
      ]) {
        await expect(ctx.service.preview(one, bad)).rejects.toMatchObject({
          name: 'InputError',
        });
      }
      await expect(ctx.service.preview(one, 'nope.txt')).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      const symlink = await byPath(ctx.service, ctx.cases.symlink, ctx.root);
      await expect(
        ctx.service.preview(symlink, 'steps/01-plan/stdout.log'),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(
        ctx.service.download(symlink, 'steps/01-plan/stdout.log'),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    it('re-ingests idempotently, never touches a packet, and flags one that vanished', async () => {
      const manifest = path.join(ctx.cases.oneSigner, 'manifest.sha256');
      const before = fs.statSync(manifest);
      const one = await byPath(ctx.service, ctx.cases.oneSigner, ctx.root);
      const again = await ctx.service.rescan();
      expect(again).toMatchObject({
        scanned: 13,
        added: 0,
        updated: 0,
        unchanged: 13,
        removed: 0,
      });
      expect(fs.statSync(manifest).mtimeMs).toBe(before.mtimeMs);
      expect(
        (await byPath(ctx.service, ctx.cases.oneSigner, ctx.root)).id,
      ).toBe(one.id);

      fs.rmSync(ctx.cases.extra, { recursive: true });
      const after = await ctx.service.rescan();
      expect(after).toMatchObject({ scanned: 12, removed: 1, unchanged: 12 });
      const gone = await byPath(ctx.service, ctx.cases.extra, ctx.root);
      expect(gone.verdict).toBe('incomplete');
      expect(codes(gone)).toEqual(['packet-removed']);
      expect((await ctx.service.rescan()).removed).toBe(0);
    });

    it('lists newest first within the caller scope and by entity annotation', async () => {
      const birds = await ctx.service.list({
        tenants: [BIRDS],
        limit: 100,
        offset: 0,
      });
      expect(birds.items.map(p => p.key)).toEqual([
        'bindings-verify/project-birds/2026-01-12T08:00:00Z',
        'tenants/project-birds/2026-01-07T08:00:00Z',
        'tenants/project-birds/2026-01-06T08:00:00Z',
        'tenants/project-birds/2026-01-05T08:00:00Z',
        `tenants/project-birds/${TS}`,
      ]);
      expect(
        (await ctx.service.list({ tenants: [], limit: 100, offset: 0 })).total,
      ).toBe(0);
      const all = await ctx.service.list({ limit: 2, offset: 0 });
      expect(all.total).toBe(13);
      expect(all.items.map(p => p.timestamp)).toEqual([
        '2026-01-13T08:00:00.000Z',
        '2026-01-12T08:00:00.000Z',
      ]);
      const milestones = await ctx.service.list({
        entity: {
          ref: 'plane:default/dns',
          prefixes: [{ area: 'milestones', subjectPrefix: 'phase1-12' }],
        },
        limit: 100,
        offset: 0,
      });
      expect(milestones.items.map(p => p.key)).toEqual([
        'milestones/phase1-12/2026-01-03T08:00:00Z',
        `milestones/phase1-12/${TS}`,
      ]);
      expect(
        (
          await ctx.service.list({
            verdict: 'tampered',
            from: '2026-01-05T00:00:00.000Z',
            to: '2026-01-10T00:00:00.000Z',
            limit: 100,
            offset: 0,
          })
        ).items.map(p => p.key),
      ).toEqual([
        'tenants/project-orchard/2026-01-09T08:00:00Z',
        'tenants/project-birds/2026-01-05T08:00:00Z',
      ]);
      expect(await ctx.service.areas([BIRDS])).toEqual([
        'bindings-verify',
        'tenants',
      ]);
    });

    it('stores an uploaded packet once: 201, then 200 for the same content, 409 for other content', async () => {
      const query = uploadQuerySchema.parse({
        area: 'tenants',
        subject: 'project-birds',
        timestamp: '2026-02-01T10:00:00Z',
      });
      const archive = tarGz(ctx.cases.oneSigner, path.join(ctx.tmp, 'one.tgz'));
      const first = await ctx.service.upload(
        fs.createReadStream(archive),
        query,
      );
      expect(first).toMatchObject({
        created: true,
        packet: {
          verdict: 'verified',
          source: 'upload',
          tenant: BIRDS,
          key: 'tenants/project-birds/2026-02-01T10:00:00Z',
        },
      });
      const stored = path.join(
        ctx.dataDir,
        'evidence/tenants/project-birds/2026-02-01T10:00:00Z',
      );
      expect(fs.statSync(path.join(stored, 'summary.md')).mode & 0o222).toBe(0);
      const second = await ctx.service.upload(
        fs.createReadStream(archive),
        query,
      );
      expect(second).toMatchObject({
        created: false,
        packet: { id: first.packet.id },
      });

      const otherArchive = tarGz(
        ctx.cases.twoSigners,
        path.join(ctx.tmp, 'two.tgz'),
      );
      await expect(
        ctx.service.upload(fs.createReadStream(otherArchive), query),
      ).rejects.toMatchObject({
        name: 'ConflictError',
      });
      expect(fs.readdirSync(path.join(ctx.dataDir, '.incoming'))).toEqual([]);
      // Uploads are a source of their own, rescanned like a root.
      const rescan = await ctx.service.rescan();
      expect(rescan.errors).toEqual([]);
      expect((await ctx.service.packets.listBySource('upload')).length).toBe(1);
    });

    it('refuses traversal, absolute paths and links in archives, writing nothing outside', async () => {
      const work = fs.mkdtempSync(path.join(ctx.tmp, 'tar-'));
      fs.mkdirSync(path.join(work, 'sub'));
      fs.writeFileSync(path.join(work, 'evil.txt'), 'escaped\n');
      fs.writeFileSync(path.join(work, 'sub/summary.md'), '# hi\n');
      const traversal = path.join(work, 'traversal.tgz');
      // -P keeps the `..` GNU tar would strip, as a hostile archive would.
      execFileSync('tar', ['-czPf', traversal, 'summary.md', '../evil.txt'], {
        cwd: path.join(work, 'sub'),
      });
      const absolute = path.join(work, 'absolute.tgz');
      execFileSync('tar', ['-czPf', absolute, path.join(work, 'evil.txt')]);
      fs.symlinkSync('/etc/passwd', path.join(work, 'sub/link'));
      const link = path.join(work, 'link.tgz');
      execFileSync('tar', ['-czf', link, '-C', path.join(work, 'sub'), '.']);
      fs.rmSync(path.join(work, 'sub/link'));
      fs.linkSync(
        path.join(work, 'sub/summary.md'),
        path.join(work, 'sub/hard'),
      );
      const hard = path.join(work, 'hard.tgz');
      execFileSync('tar', ['-czf', hard, '-C', path.join(work, 'sub'), '.']);

      const query = uploadQuerySchema.parse({
        area: 'tenants',
        subject: 'project-birds',
        timestamp: '2026-03-01T10:00:00Z',
      });
      const refusals: Array<[string, RegExp]> = [
        [traversal, /"\.\.\/evil\.txt" climbs out/],
        [absolute, /is an absolute path/],
        [link, /is a symbolic link to "\/etc\/passwd"/],
        [hard, /is a hard link/],
      ];
      for (const [archive, message] of refusals) {
        await expect(
          ctx.service.upload(fs.createReadStream(archive), query),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(message),
        });
      }
      await expect(
        ctx.service.upload(
          Readable.from([Buffer.from('not a tarball at all')]),
          query,
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
      });
      expect(fs.existsSync(path.join(ctx.dataDir, 'evil.txt'))).toBe(false);
      expect(
        fs.existsSync(path.join(ctx.dataDir, '.incoming', '..', 'evil.txt')),
      ).toBe(false);
      expect(
        fs.existsSync(
          path.join(
            ctx.dataDir,
            'evidence/tenants/project-birds/2026-03-01T10:00:00Z',
          ),
        ),
      ).toBe(false);
      expect(fs.readdirSync(path.join(ctx.dataDir, '.incoming'))).toEqual([]);
    });
  },
);

describe('upload limits', () => {
  it.each(databases.eachSupportedId())(
    'answers oversized uploads with 413 on %s',
    async databaseId => {
      const ctx = await setUp(databaseId, {
        maxBytes: 4096,
        maxExtractedBytes: 64 * 1024,
      });
      try {
        const query = uploadQuerySchema.parse({
          area: 'drift',
          timestamp: '2026-04-01T10:00:00Z',
        });
        const big = path.join(ctx.tmp, 'big');
        // Random bytes do not compress: the body itself is over 4 KiB.
        fs.mkdirSync(big);
        fs.writeFileSync(
          path.join(big, 'blob.bin'),
          Buffer.alloc(16 * 1024, 1).map(() => Math.floor(Math.random() * 256)),
        );
        await expect(
          ctx.service.upload(
            fs.createReadStream(tarGz(big, path.join(ctx.tmp, 'big.tgz'))),
            query,
          ),
        ).rejects.toMatchObject({ name: 'PayloadTooLargeError' });
        // Zeros compress to almost nothing: the unpacked size is what trips.
        const bomb = path.join(ctx.tmp, 'bomb');
        fs.mkdirSync(bomb);
        fs.writeFileSync(
          path.join(bomb, 'zeros.log'),
          Buffer.alloc(1024 * 1024),
        );
        await expect(
          ctx.service.upload(
            fs.createReadStream(tarGz(bomb, path.join(ctx.tmp, 'bomb.tgz'))),
            query,
          ),
        ).rejects.toMatchObject({
          name: 'PayloadTooLargeError',
          message: expect.stringContaining('maxExtractedBytes'),
        });
        expect(fs.readdirSync(path.join(ctx.dataDir, '.incoming'))).toEqual([]);
      } finally {
        fs.rmSync(ctx.tmp, { recursive: true, force: true });
      }
    },
  );
});
