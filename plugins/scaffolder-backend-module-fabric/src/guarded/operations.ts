import { z } from 'zod';

// The guarded operations and their steps, as the ALAI deployment runbook gives them:
// the Cloudflare Pages rollback by re-deploying an earlier deployment through the CF API
// `/retry` endpoint (wrangler 4.x removed `wrangler pages deployment rollback`, and the
// `/rollback` endpoint answers 405 for direct-upload deployments), and the phantom-domain
// removal protocol (attach the real domain explicitly before removing the phantom).

const projectName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,57}$/, {
  error:
    'must be a Cloudflare Pages project name (lower-case letters, digits, dashes)',
});
const deploymentId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, {
  error: 'must be a deployment id as the deployments list shows it',
});
const domain = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'must be a domain name such as example.no (lower case, no scheme)',
  });

export const siteRollbackParamsSchema = z.strictObject({
  project: projectName.describe(
    'The Cloudflare Pages project (CF_PROJECT_NAME)',
  ),
  deploymentId: deploymentId.describe('The earlier deployment to re-deploy'),
});

export const phantomRemovalParamsSchema = z
  .strictObject({
    phantom: domain.describe('The phantom domain to remove'),
    real: domain.describe('The real domain that must keep answering'),
    authoritativeProject: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, {
        error:
          'must be the Vercel project name that should serve the real domain',
      })
      .describe('The project the real domain must be attached to'),
  })
  .refine(p => p.phantom !== p.real, {
    error: 'phantom and real must be different domains',
    path: ['phantom'],
  });

export const GUARDED_OPERATIONS = [
  'site-rollback',
  'phantom-domain-removal',
] as const;
export type GuardedOperation = (typeof GUARDED_OPERATIONS)[number];

/** One command of an operation. `display` is what the packet records (no secrets). */
export interface GuardedStep {
  name: string;
  display: string;
  /** argv; `${VAR}` parts are taken from the environment only when executing. */
  argv: string[];
  /** What the step must show to continue (checked on stdout), when executing. */
  expect?: RegExp;
}

const CF_API = 'https://api.cloudflare.com/client/v4/accounts';

export function siteRollbackSteps(
  p: z.output<typeof siteRollbackParamsSchema>,
): GuardedStep[] {
  const base = `${CF_API}/\${CF_ACCOUNT_ID}/pages/projects/${p.project}/deployments`;
  const auth = 'Authorization: Bearer ${CF_API_TOKEN}';
  return [
    {
      name: 'list-deployments',
      display: `curl -s "${base}" -H "${auth}"`,
      argv: ['curl', '-sS', '--fail-with-body', base, '-H', auth],
      expect: new RegExp(`"id":\\s*"${p.deploymentId}"`),
    },
    {
      // wrangler 4.x has no `pages deployment rollback`; /rollback is 405 for direct uploads.
      name: 'retry-deployment',
      display: `curl -s -X POST "${base}/${p.deploymentId}/retry" -H "${auth}" -H "Content-Type: application/json"`,
      argv: [
        'curl',
        '-sS',
        '--fail-with-body',
        '-X',
        'POST',
        `${base}/${p.deploymentId}/retry`,
        '-H',
        auth,
        '-H',
        'Content-Type: application/json',
      ],
      expect: /"success":\s*true/,
    },
  ];
}

export function phantomRemovalSteps(
  p: z.output<typeof phantomRemovalParamsSchema>,
): GuardedStep[] {
  return [
    {
      name: 'inspect-real-domain',
      display: `vercel domains inspect ${p.real}`,
      argv: ['vercel', 'domains', 'inspect', p.real],
    },
    {
      // The protocol attaches the real domain explicitly first; adding it again is harmless.
      name: 'attach-real-domain',
      display: `vercel domains add ${p.real} --project ${p.authoritativeProject}`,
      argv: [
        'vercel',
        'domains',
        'add',
        p.real,
        '--project',
        p.authoritativeProject,
      ],
    },
    {
      name: 'verify-real-before',
      display: `curl -sI https://${p.real}`,
      argv: ['curl', '-sI', `https://${p.real}`],
      expect: /^HTTP\/\S+ 200/m,
    },
    {
      name: 'remove-phantom',
      display: `vercel domains rm ${p.phantom} --yes`,
      argv: ['vercel', 'domains', 'rm', p.phantom, '--yes'],
    },
    {
      name: 'verify-real-after',
      display: `curl -sI https://${p.real}`,
      argv: ['curl', '-sI', `https://${p.real}`],
      expect: /^HTTP\/\S+ 200/m,
    },
  ];
}

/** The steps of an operation for its parsed parameters, and what it acts on. */
export function stepsOf(
  operation: GuardedOperation,
  params: Record<string, string>,
): { target: string; steps: GuardedStep[] } {
  if (operation === 'site-rollback') {
    const p = params as z.output<typeof siteRollbackParamsSchema>;
    return { target: p.project, steps: siteRollbackSteps(p) };
  }
  const p = params as z.output<typeof phantomRemovalParamsSchema>;
  return { target: p.phantom, steps: phantomRemovalSteps(p) };
}
