// The approvals queue at scale: 5,000 proposals on PostgreSQL (3 tenants, 3 environments, every
// state), written straight into the approvals plugin's table of a fresh backend. Headless
// Chromium signs in as olivia.operator and opens /approvals; the figure is the time from
// navigation start until the first page of proposals and the "Waiting for me (N)" count are on
// screen, with the HTTP cache disabled (cold) and enabled (warm). Goal (issue 23): under 1 s.
import { type Page } from '@playwright/test';
import {
  type BenchOptions,
  type Figure,
  type PartResult,
  goalFigure,
  log,
  now,
  percentile,
} from './lib/common.mts';
import { type BenchBackend } from './lib/backend.mts';
import { pgClient } from './lib/catalogDb.mts';
import { launchChromium, signIn, visit } from './frontend.mts';

const STATES = [
  'validated',
  'in-review',
  'approved',
  'rejected',
  'withdrawn',
  'applied',
  'verified',
];

/** Inserts `count` proposals in one statement; returns how many wait for olivia.operator. */
async function seedProposals(backend: BenchBackend, count: number) {
  if (!backend.pgDatabase)
    throw new Error('the approvals bench needs PostgreSQL');
  const client = pgClient(backend.pgDatabase);
  await client.connect();
  try {
    await client.query('SET search_path TO approvals');
    const states = `(ARRAY['${STATES.join("','")}'])`;
    await client.query(`
      INSERT INTO approvals_proposals (id, tenant_ref, type, environment_ref, title, change_json,
        requester_ref, evidence_json, submitted_at, digest, state, version, updated_at,
        packets_json)
      SELECT
        lpad(to_hex(n), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'),
        'tenant:default/' || (ARRAY['project-birds','project-orchard','project-harbor'])[n % 3 + 1],
        (ARRAY['capacity-change','binding-change'])[n % 2 + 1],
        'resource:default/' || (ARRAY['samakia-dev','samakia-staging','samakia-prod'])[n % 3 + 1],
        'Bench proposal ' || n,
        '{"quotas":{}}',
        (ARRAY['user:default/bea.birds','user:default/otto.orchard','user:default/hana.harbor'])[n % 3 + 1],
        '[]',
        to_char(timestamp '2026-01-01' + n * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        repeat('a', 64),
        ${states}[n % ${STATES.length} + 1],
        1,
        to_char(timestamp '2026-01-01' + n * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        '[]'
      FROM generate_series(1, ${count}) AS n`);
    await client.query('ANALYZE approvals_proposals');
    const { rows } = await client.query(
      "SELECT count(*) AS n FROM approvals_proposals WHERE state IN ('validated', 'in-review')",
    );
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

const queueReady = async (page: Page) => {
  await page
    .getByRole('table', { name: 'Proposals' })
    .locator('tbody tr')
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  await page
    .getByRole('tab', { name: /^Waiting for me \(\d+\)$/ })
    .waitFor({ state: 'visible', timeout: 60_000 });
};

export async function approvalsPart(
  backend: BenchBackend,
  options: BenchOptions,
): Promise<PartResult> {
  const started = now();
  const count = 5000;
  const seeded = now();
  const waiting = await seedProposals(backend, count);
  log(
    `approvals: ${count} proposals written in ${(
      (now() - seeded) /
      1000
    ).toFixed(1)} s; ${waiting} wait for review`,
  );
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ baseURL: backend.baseUrl });
    const first = await context.newPage();
    await signIn(first, 'olivia.operator', 'fabric-dev');
    // The count as the page shows it, to print beside the time.
    await first.goto('/approvals');
    await queueReady(first);
    const tab = await first
      .getByRole('tab', { name: /^Waiting for me/ })
      .textContent();
    // The API alone, as the page asks it: request start to response end of its list call.
    const rounds = options.quick ? 2 : 5;
    const api: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const listed = first.waitForResponse(r =>
        r.url().includes('/api/approvals/proposals?'),
      );
      await first.goto('/approvals');
      const timing = (await listed).request().timing();
      await queueReady(first);
      api.push(timing.responseEnd - timing.requestStart);
    }
    await first.close();

    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < rounds; i++) {
      cold.push((await visit(context, '/approvals', queueReady, false)).ms);
    }
    await visit(context, '/approvals', queueReady, true);
    for (let i = 0; i < rounds; i++) {
      warm.push((await visit(context, '/approvals', queueReady, true)).ms);
    }
    await context.close();
    const figure = (label: string, runs: number[]): Figure =>
      goalFigure(
        {
          part: 'approvals',
          name: `Approvals page, ${count} proposals (PostgreSQL), ${label}: median of ${rounds}`,
          value: Math.round(percentile(runs, 50)),
          unit: 'ms',
          note: `navigation start -> first page and "${tab}" visible; runs ${runs
            .map(ms => ms.toFixed(0))
            .join(', ')} ms`,
        },
        { op: '<=', bound: 1000 },
      );
    return {
      part: 'approvals',
      figures: [
        figure('cold cache', cold),
        figure('warm cache', warm),
        {
          part: 'approvals',
          name: `GET /api/approvals/proposals (first page + counts): median of ${rounds}`,
          value: Math.round(percentile(api, 50)),
          unit: 'ms',
          note: `request start -> response end in the browser; runs ${api
            .map(ms => ms.toFixed(0))
            .join(', ')} ms`,
        },
      ],
      details: { count, waiting, tab, cold, warm, api },
      seconds: (now() - started) / 1000,
    };
  } finally {
    await browser.close();
  }
}
