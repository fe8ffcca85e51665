import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  acceptanceFiles,
  testEvidenceService,
  useOliviaSigner,
  writePacket,
} from '../__testUtils__';
import { applyMigrations } from '../database/migrations';
import { createEvidenceNodeService } from '../nodeService';

// packet.json `kind` says what a packet is (eval-report, dataset-manifest, ...). It is covered
// by the signed manifest, so the approvals gate can hold a proposal's cited kind against it:
// indexed and handed to other plugins by `summary`; relabelling after signing breaks the
// verdict; a malformed kind makes the packet incomplete. On SQLite and PostgreSQL.
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const olivia = useOliviaSigner();

function packet(dir: string, kind?: string) {
  const files = acceptanceFiles();
  files['packet.json'] = JSON.stringify({
    title: 'birds-api eval',
    result: 'PASS',
    tenant: 'project-birds',
    ...(kind === undefined ? {} : { kind }),
  });
  writePacket(dir, files);
  olivia.signManifest(dir);
}

describe.each(databases.eachSupportedId())('packet kinds on %s', databaseId => {
  let knex: Knex;
  let tmp: string;

  beforeAll(async () => {
    knex = await databases.init(databaseId as TestDatabaseId);
    await applyMigrations(knex);
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('indexes the declared kind, refuses a relabelled or malformed one, and hands it to approvals', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-kind-'));
    const root = path.join(tmp, 'root');
    const dir = (ts: string) =>
      path.join(root, 'evidence/tenants/project-birds', ts);
    const cases = {
      declared: dir('2026-02-01T08:00:00Z'),
      relabelled: dir('2026-02-02T08:00:00Z'),
      malformed: dir('2026-02-03T08:00:00Z'),
      undeclared: dir('2026-02-04T08:00:00Z'),
    };
    packet(cases.declared, 'eval-report');
    packet(cases.relabelled, 'dataset-manifest');
    // After signing, someone relabels the packet to the kind a promotion lacks.
    const meta = path.join(cases.relabelled, 'packet.json');
    fs.writeFileSync(
      meta,
      fs
        .readFileSync(meta, 'utf8')
        .replace('dataset-manifest', 'compatibility'),
    );
    packet(cases.malformed, 'EvalReport');
    packet(cases.undeclared);

    const service = testEvidenceService({
      db: knex,
      root,
      dataDir: path.join(tmp, 'data'),
      keyrings: olivia.keyrings,
    });
    await service.rescan();
    const get = async (d: string) =>
      (await service.packets.findBySourcePath(
        'root:ops',
        path.relative(root, d).split(path.sep).join('/'),
      ))!;

    const declared = await get(cases.declared);
    expect(declared).toMatchObject({
      verdict: 'verified',
      kind: 'eval-report',
    });
    const relabelled = await get(cases.relabelled);
    expect(relabelled.verdict).not.toBe('verified');
    expect(relabelled.reasons.map(r => r.path)).toContain('packet.json');
    const malformed = await get(cases.malformed);
    expect(malformed.verdict).toBe('incomplete');
    expect(malformed.kind).toBeUndefined();
    expect(malformed.reasons).toEqual([
      expect.objectContaining({
        code: 'metadata-invalid',
        message: expect.stringContaining(
          'kind: must be a packet kind in lower case with dashes',
        ),
      }),
    ]);
    expect((await get(cases.undeclared)).kind).toBeUndefined();

    const node = createEvidenceNodeService({
      evidence: service,
      access: {} as any, // summary applies no permission; approvals applies its own rule
    });
    await expect(node.summary(declared.id)).resolves.toMatchObject({
      id: declared.id,
      tenant: 'tenant:default/project-birds',
      verdict: 'verified',
      kind: 'eval-report',
    });
  });
});
