#!/usr/bin/env node
// Query the Fabric Portal catalog from CI or a shell, with a scoped read-only token.
//
// The domain questions go to the portal's domain query API (answered in milliseconds from its
// read model of the catalog):
//   FABRIC_CI_TOKEN=... node scripts/catalog-query.mts planes vlan=140
//   FABRIC_CI_TOKEN=... node scripts/catalog-query.mts tenants consumes=postgres
//   FABRIC_CI_TOKEN=... node scripts/catalog-query.mts rules governs=alai-home-web status=active
//   FABRIC_CI_TOKEN=... node scripts/catalog-query.mts services host=proxmox2
// Anything else goes to the catalog itself through @backstage/catalog-client:
//   FABRIC_CI_TOKEN=... node scripts/catalog-query.mts --kind Plane --filter spec.type=network
//
// Options of the catalog form (repeatable where it makes sense):
//   --kind <Kind>            entity kind (Plane, Tenant, ZakonRule, Component, ...)
//   --filter <key>=<value>   extra filter on any field, e.g. spec.network.vlan=100
//   --fields <a,b,c>         only return these fields
//   --json                   print the raw entities as JSON instead of one ref per line
// Environment: FABRIC_CATALOG_URL (default http://localhost:7007), FABRIC_CI_TOKEN (required).
// Runs on Node 22 as-is (type stripping); type-checked by the repo's `yarn tsc`.
import { CatalogClient } from '@backstage/catalog-client';

/** The questions of the domain query API (plugins/fabric-query-backend). */
const QUESTIONS = ['planes', 'services', 'tenants', 'rules'] as const;
type Question = (typeof QUESTIONS)[number];

type Options = {
  /** A domain question and its parameters, or undefined for the catalog form. */
  question?: { name: Question; params: URLSearchParams };
  filter: Record<string, string[]>;
  fields?: string[];
  json: boolean;
};

function usage(message: string): never {
  process.stderr.write(`catalog-query: ${message}\n`);
  process.stderr.write(
    `usage: node scripts/catalog-query.mts ${QUESTIONS.join(
      '|',
    )} [param=value]... [--json]\n` +
      '       node scripts/catalog-query.mts [--kind K] [--filter key=value]... [--fields a,b] [--json]\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const options: Options = { filter: {}, json: false };
  if (argv[0] && !argv[0].startsWith('--')) {
    const name = argv[0] as Question;
    if (!QUESTIONS.includes(name)) {
      usage(
        `unknown question "${argv[0]}"; ask one of ${QUESTIONS.join(', ')}`,
      );
    }
    const params = new URLSearchParams();
    for (const arg of argv.slice(1)) {
      if (arg === '--json') {
        options.json = true;
        continue;
      }
      const eq = arg.indexOf('=');
      if (eq <= 0) usage(`${name} expects param=value, got "${arg}"`);
      params.append(arg.slice(0, eq), arg.slice(eq + 1));
    }
    options.question = { name, params };
    return options;
  }
  const add = (key: string, value: string) => {
    (options.filter[key] ??= []).push(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === '--kind') add('kind', next());
    else if (arg === '--filter') {
      const pair = next();
      const eq = pair.indexOf('=');
      if (eq <= 0) usage(`--filter expects key=value, got "${pair}"`);
      add(pair.slice(0, eq), pair.slice(eq + 1));
    } else if (arg === '--fields') options.fields = next().split(',');
    else if (arg === '--json') options.json = true;
    else usage(`unknown argument "${arg}"`);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const token = process.env.FABRIC_CI_TOKEN;
  if (!token)
    usage('FABRIC_CI_TOKEN is not set; CI must pass its catalog token');
  const baseUrl = (
    process.env.FABRIC_CATALOG_URL ?? 'http://localhost:7007'
  ).replace(/\/$/, '');
  if (options.question) {
    await askDomain(baseUrl, token, options.question, options.json);
    return;
  }
  const client = new CatalogClient({
    discoveryApi: { getBaseUrl: async () => `${baseUrl}/api/catalog` },
  });

  const entities = [];
  let cursor: string | undefined;
  do {
    const page = cursor
      ? await client.queryEntities({ cursor, limit: 500 }, { token })
      : await client.queryEntities(
          // No total count: the script pages with the cursor until the end and never prints
          // it, and counting every match is the costliest part of the query on a large catalog.
          {
            filter: options.filter,
            fields: options.fields,
            limit: 500,
            totalItems: 'exclude',
          },
          { token },
        );
    entities.push(...page.items);
    cursor = page.pageInfo.nextCursor;
  } while (cursor);

  if (options.json) {
    process.stdout.write(`${JSON.stringify(entities, null, 2)}\n`);
    return;
  }
  for (const e of entities) {
    const ns = e.metadata?.namespace ?? 'default';
    process.stdout.write(
      `${e.kind?.toLowerCase()}:${ns}/${e.metadata?.name}\n`,
    );
  }
}

/** One domain question, paged with the API's cursor; one ref per line or the items as JSON. */
async function askDomain(
  baseUrl: string,
  token: string,
  question: NonNullable<Options['question']>,
  json: boolean,
) {
  const items: Array<{ ref: string }> = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams(question.params);
    params.set('limit', '500');
    if (cursor) params.set('cursor', cursor);
    const res = await fetch(
      `${baseUrl}/api/fabric-query/${question.name}?${params}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    const body = (await res.json().catch(() => ({}))) as {
      items?: Array<{ ref: string }>;
      nextCursor?: string;
      error?: { message?: string };
    };
    if (!res.ok) {
      const error = new Error(body.error?.message ?? `answered ${res.status}`);
      Object.assign(error, { response: { status: res.status } });
      throw error;
    }
    items.push(...(body.items ?? []));
    cursor = body.nextCursor;
  } while (cursor);
  if (json) {
    process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return;
  }
  for (const item of items) process.stdout.write(`${item.ref}\n`);
}

main().catch((error: Error) => {
  // CatalogClient errors carry the HTTP status; say plainly when the token is missing or wrong.
  const status = (error as { response?: { status?: number } }).response?.status;
  if (status === 401 || status === 403) {
    process.stderr.write(
      `catalog-query: refused by the catalog (${status}): check FABRIC_CI_TOKEN\n`,
    );
    process.exit(3);
  }
  process.stderr.write(`catalog-query: ${error.message}\n`);
  process.exit(1);
});
