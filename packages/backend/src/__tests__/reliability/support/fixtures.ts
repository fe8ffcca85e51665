import { createHash } from 'node:crypto';
import { waitFor } from '../../support/bootBackend';
import { call } from '../../support/apiCall';
import { Identities } from './identities';
import { pgQuery } from './postgres';

/** Data of tenant A (project-birds) that every reliability test reads, writes or refers to. */
export interface Seed {
  /** A validated proposal of project-birds in samakia-dev. */
  proposalId: string;
  changeRef: string;
  /** A drift run of project-birds posted by CI. */
  driftRunId: string;
  /** The sample evidence packet of project-birds (evidence-samples/). */
  packetId: string;
  packetFile: string;
}

export function birdsProposal(title: string, changeRef?: string) {
  return {
    tenant: 'project-birds',
    type: 'other',
    environment: 'samakia-dev',
    title,
    change: { description: title },
    ...(changeRef ? { changeRef } : {}),
  };
}

export function birdsDriftRun(resource: string) {
  return {
    source: 'ci/reliability',
    environment: 'samakia-dev',
    tenant: 'project-birds',
    findings: [
      {
        provider: 'postgres',
        resource,
        class: 'capacity',
        verdict: 'WARN',
        declared: 100,
        observed: 120,
        message: 'raised by hand',
      },
    ],
  };
}

/** Creates tenant A's proposal and drift run and indexes the sample evidence packet. */
export async function seed(baseUrl: string, who: Identities): Promise<Seed> {
  const changeRef = `mr!${Date.now()}`;
  const proposal = await call(
    baseUrl,
    who.tenantA,
    'POST',
    '/api/approvals/proposals',
    { json: birdsProposal('Seeded by the reliability suite', changeRef) },
  );
  if (proposal.status !== 201 || proposal.body.state !== 'validated') {
    throw new Error(`seeding a proposal: ${proposal.status} ${proposal.text}`);
  }
  const run = await call(baseUrl, who.ci, 'POST', '/api/drift/runs', {
    json: birdsDriftRun('birds-dev/max_connections'),
  });
  if (run.status !== 201) {
    throw new Error(`seeding a drift run: ${run.status} ${run.text}`);
  }
  const packet = await waitFor('the sample evidence packet', async () => {
    await call(baseUrl, who.operator, 'POST', '/api/evidence/rescan');
    const list = await call(
      baseUrl,
      who.operator,
      'GET',
      '/api/evidence/packets?tenant=project-birds',
    );
    return list.body?.items?.[0];
  });
  const detail = await call(
    baseUrl,
    who.operator,
    'GET',
    `/api/evidence/packets/${packet.id}`,
  );
  const file = detail.body.files.find(
    (f: { path: string }) => f.path === 'summary.md',
  );
  return {
    proposalId: proposal.body.id,
    changeRef,
    driftRunId: run.body.run?.id ?? run.body.id,
    packetId: packet.id,
    packetFile: file?.path ?? detail.body.files[0].path,
  };
}

/**
 * Every row of every table the Fabric plugins store (approvals, evidence, drift), as a digest per
 * table; the scheduler's bookkeeping tables are left out (they change on their own).
 */
export async function storeSnapshot(
  prefix: string,
): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const plugin of ['approvals', 'evidence', 'drift', 'signing-keys']) {
    const database = `${prefix}${plugin}`;
    const tables = await pgQuery<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
          AND table_name NOT LIKE 'knex_migrations%'
          AND table_name NOT LIKE 'backstage_backend_tasks%'
          -- Backstage's own service-to-service signing keys, made when a plugin first calls
          -- another (the signing-keys plugin's first permission check, for one).
          AND table_name NOT LIKE 'backstage_backend_public_keys%'
        ORDER BY table_name`,
      [],
      database,
    );
    for (const { table_name: table } of tables) {
      const rows = await pgQuery(
        `SELECT * FROM "${table}" ORDER BY 1`,
        [],
        database,
      );
      snapshot[`${plugin}.${table}`] = `${rows.length} rows ${createHash(
        'sha256',
      )
        .update(JSON.stringify(rows))
        .digest('hex')}`;
    }
  }
  return snapshot;
}
