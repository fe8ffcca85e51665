import { randomUUID } from 'node:crypto';
// eslint-disable-next-line @backstage/no-undeclared-imports
import { CI_TOKEN } from '@internal/fabric-test-utils';
import { ApiCall } from './apiCall';
import { waitFor } from './bootBackend';

/**
 * The objects of the Fabric plugins that a tenant owns and that are asked for by id (a proposal,
 * its gate and audit, an evidence packet, a drift run), and every route that serves one. The
 * isolation matrix asks them as a member of another tenant on SQLite and on PostgreSQL.
 */

type Json = any;

/** One of birds' objects and the key that names it in its routes. */
export type OwnedRoute = {
  method: 'GET' | 'POST';
  /** The route with `{key}` where the object's id (or change reference) goes. */
  path: string;
  key: string;
  body?: unknown;
  /** Whose action it is: a read anyone of the tenant may do, or a step only operators take. */
  kind: 'read' | 'tenant action' | 'operator action';
};

/**
 * Creates birds' objects: bea submits a proposal, CI posts a drift run, and the sample evidence
 * packet of project-birds is found once indexed. Returns every route that serves one of them.
 */
export async function birdsObjects(
  call: ApiCall,
  tokens: { bea: string; olivia: string },
): Promise<OwnedRoute[]> {
  const changeRef = `mr!${Math.floor(Math.random() * 1e9)}`;
  const proposal = await call(tokens.bea, 'POST', '/approvals/proposals', {
    tenant: 'project-birds',
    type: 'other',
    environment: 'samakia-dev',
    title: 'Raise the birds cache size',
    change: { description: 'Rotate credentials' },
    changeRef,
  });
  expect(proposal.status).toBe(201);
  const run = await call(CI_TOKEN, 'POST', '/drift/runs', {
    source: 'ci/drift-nightly',
    environment: 'samakia-dev',
    tenant: 'project-birds',
    findings: [
      {
        provider: 'postgres',
        resource: 'birds-dev/max_connections',
        class: 'capacity',
        verdict: 'FAIL',
        declared: 200,
        observed: 500,
      },
    ],
  });
  expect(run.status).toBe(201);
  const packet: Json = await waitFor('the birds evidence packet', async () => {
    const res = await call(
      tokens.olivia,
      'GET',
      '/evidence/packets?tenant=project-birds',
    );
    return res.body?.items?.[0];
  });
  const view = await call(
    tokens.olivia,
    'GET',
    `/evidence/packets/${packet.id}`,
  );
  const file = encodeURIComponent(view.body.files[0].path);

  const p = proposal.body.id as string;
  const read = (path: string, key: string): OwnedRoute => ({
    method: 'GET',
    path,
    key,
    kind: 'read',
  });
  const operator = (step: string, body: unknown): OwnedRoute => ({
    method: 'POST',
    path: `/approvals/proposals/{key}/${step}`,
    key: p,
    body,
    kind: 'operator action',
  });
  return [
    read('/approvals/proposals/{key}', p),
    read('/approvals/proposals/{key}/audit', p),
    read('/approvals/proposals/{key}/gate', p),
    read('/approvals/gate?tenant=project-birds&changeRef={key}', changeRef),
    read('/evidence/packets/{key}', packet.id),
    read(`/evidence/packets/{key}/preview?path=${file}`, packet.id),
    read(`/evidence/packets/{key}/download?path=${file}`, packet.id),
    read('/drift/runs/{key}', run.body.run.id),
    {
      method: 'POST',
      path: '/approvals/proposals/{key}/withdraw',
      key: p,
      body: { reason: 'not mine' },
      kind: 'tenant action',
    },
    operator('claim', {}),
    operator('approve', { comment: 'ok' }),
    operator('reject', { reason: 'no' }),
    operator('apply', { reference: 'CHG-1' }),
    operator('verify', {}),
    operator('rollback', {}),
  ];
}

/** A key of the same shape that names nothing. */
export function unusedKey(route: OwnedRoute): string {
  return route.key.startsWith('mr!')
    ? `mr!unused-${randomUUID()}`
    : randomUUID();
}

/**
 * What `token` gets for the route on birds' object, and for the same route on a key that names
 * nothing, with the unused key written back as the object's so the two can be compared.
 */
export async function askTwice(
  call: ApiCall,
  token: string,
  route: OwnedRoute,
) {
  const at = (key: string) =>
    call(token, route.method, route.path.replace('{key}', key), route.body);
  // `request` of an error body echoes the caller's own URL: not part of the answer compared.
  const answer = ({ status, body }: { status: number; body: Json }) => {
    const { request: _request, ...rest } = body ?? {};
    return { status, body: typeof body === 'object' ? rest : body };
  };
  const owned = answer(await at(route.key));
  const other = unusedKey(route);
  const missing = answer(await at(other));
  return {
    owned,
    missing: {
      status: missing.status,
      body: JSON.parse(
        JSON.stringify(missing.body).replaceAll(other, route.key),
      ),
    },
  };
}
