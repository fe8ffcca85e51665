#!/usr/bin/env node
// The operator's side of the approval gate: apply, verify and roll back a proposal.
//
//   yarn fabric gate <proposal>
//   yarn fabric apply <proposal> --evidence <packetId> [--reference <ref>]
//                     [--override-reason <text> --tracking-ref OPS-123]
//   yarn fabric verify <proposal> --evidence <packetId> [--comment <text>]
//   yarn fabric rollback <proposal> --evidence <packetId> --reason <text>
//
// CI never applies: it reads the catalog, posts evidence and drift and asks the gate. The
// operator runs this CLI, which signs them in through the portal's own sign-in (an OAuth 2
// authorization-code flow with PKCE against the auth backend, redirecting to a loopback
// address on this machine), so what the portal records is the operator's identity, never a
// shared token. The token lives in memory for this one command.
//
// Options: --portal <backend URL> (or FABRIC_PORTAL_URL; default http://localhost:7007),
// --no-browser (only print the sign-in address instead of opening a browser).
// Runs on Node 22 as-is (type stripping); type-checked by the repo's `yarn tsc`.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

/** The loopback redirect the auth backend's built-in CLI client registers. */
const CALLBACK_PORT = 8055;
const CALLBACK = `http://127.0.0.1:${CALLBACK_PORT}/callback`;
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Command = 'gate' | 'apply' | 'verify' | 'rollback';

export interface CliOptions {
  command: Command;
  proposal: string;
  portal: string;
  browser: boolean;
  evidence?: string;
  reference?: string;
  reason?: string;
  comment?: string;
  overrideReason?: string;
  trackingRef?: string;
}

class UsageError extends Error {}

const USAGE = `usage:
  yarn fabric gate <proposal>
  yarn fabric apply <proposal> --evidence <packetId> [--reference <ref>] [--override-reason <text> --tracking-ref OPS-123]
  yarn fabric verify <proposal> --evidence <packetId> [--comment <text>]
  yarn fabric rollback <proposal> --evidence <packetId> --reason <text>
options: --portal <backend URL> (FABRIC_PORTAL_URL), --no-browser`;

/** Parses the command line; throws a UsageError naming what is wrong. */
export function parseArgs(
  argv: string[],
  env: Record<string, string | undefined> = {},
): CliOptions {
  const [command, proposal, ...rest] = argv;
  if (!['gate', 'apply', 'verify', 'rollback'].includes(command ?? '')) {
    throw new UsageError(`unknown command ${command ?? '(none)'}`);
  }
  if (!proposal || !UUID.test(proposal)) {
    throw new UsageError(
      `${
        proposal ?? 'the proposal'
      } is not a proposal id (a UUID, as the proposal page shows it)`,
    );
  }
  const options: CliOptions = {
    command: command as Command,
    proposal,
    portal: env.FABRIC_PORTAL_URL ?? 'http://localhost:7007',
    browser: true,
  };
  const valued: Record<string, keyof CliOptions> = {
    '--evidence': 'evidence',
    '--reference': 'reference',
    '--reason': 'reason',
    '--comment': 'comment',
    '--override-reason': 'overrideReason',
    '--tracking-ref': 'trackingRef',
    '--portal': 'portal',
  };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--no-browser') {
      options.browser = false;
      continue;
    }
    const key = valued[flag];
    const value = rest[i + 1];
    if (!key) throw new UsageError(`unknown option ${flag}`);
    if (value === undefined || value.startsWith('--')) {
      throw new UsageError(`${flag} needs a value`);
    }
    (options as unknown as Record<string, unknown>)[key] = value;
    i++;
  }
  if (options.command !== 'gate') {
    if (!options.evidence) {
      throw new UsageError(
        `${options.command} needs --evidence <packetId>: the evidence packet of this step`,
      );
    }
    if (!UUID.test(options.evidence)) {
      throw new UsageError(
        `--evidence ${options.evidence} is not an evidence packet id (a UUID)`,
      );
    }
  }
  if (options.command === 'rollback' && !options.reason) {
    throw new UsageError('rollback needs --reason <why it was rolled back>');
  }
  if (Boolean(options.overrideReason) !== Boolean(options.trackingRef)) {
    throw new UsageError(
      'a window override needs both --override-reason and --tracking-ref',
    );
  }
  options.portal = options.portal.replace(/\/+$/, '');
  return options;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * Signs the operator in through the portal: the auth backend's authorization endpoint (the
 * portal's sign-in and consent page in the browser), a loopback redirect back here, then the
 * code (with its PKCE verifier) for a Backstage user token.
 */
export async function signIn(
  portal: string,
  openBrowser: boolean,
  log: (line: string) => void,
): Promise<string> {
  const auth = `${portal}/api/auth`;
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const state = base64url(randomBytes(16));
  const authorize = new URL(`${auth}/v1/authorize`);
  authorize.search = new URLSearchParams({
    client_id: `${auth}/.well-known/oauth-client/cli.json`,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid offline_access',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();

  const code = await new Promise<string>((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', CALLBACK);
      if (url.pathname !== '/callback') {
        res.writeHead(404).end();
        return;
      }
      const finish = (status: number, text: string, error?: Error) => {
        res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(text);
        clearTimeout(timer);
        server.close();
        if (error) reject(error);
      };
      if (url.searchParams.get('state') !== state) {
        finish(400, 'Sign-in refused: the state does not match this request.');
        reject(new Error('sign-in refused: state mismatch'));
        return;
      }
      const error = url.searchParams.get('error');
      const got = url.searchParams.get('code');
      if (error || !got) {
        finish(
          400,
          `Sign-in failed: ${error ?? 'no code'}`,
          new Error(
            `sign-in failed: ${
              url.searchParams.get('error_description') ?? error ?? 'no code'
            }`,
          ),
        );
        return;
      }
      finish(200, 'Signed in to Fabric Portal. You can close this tab.');
      resolve(got);
    });
    const timer = setTimeout(() => {
      server.close();
      reject(new Error('sign-in timed out after 5 minutes'));
    }, SIGN_IN_TIMEOUT_MS);
    server.on('error', reject);
    server.listen(CALLBACK_PORT, '127.0.0.1', () => {
      log(`Sign in to Fabric Portal in your browser:\n  ${authorize}`);
      if (openBrowser) {
        spawn('xdg-open', [authorize.toString()], {
          stdio: 'ignore',
          detached: true,
        })
          .on('error', () => {})
          .unref();
      }
    });
  });

  const token = await fetch(`${auth}/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    }),
  });
  const body = (await token.json().catch(() => ({}))) as Record<string, any>;
  if (!token.ok || typeof body.access_token !== 'string') {
    throw new Error(
      `sign-in failed at the token endpoint (${token.status}): ${
        body.error_description ?? body.error ?? 'no token'
      }`,
    );
  }
  return body.access_token;
}

async function call(
  options: CliOptions,
  token: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${options.portal}/api/approvals${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, any>;
  if (!res.ok) {
    throw new Error(
      `${res.status} ${json.error?.name ?? ''}: ${
        json.error?.message ?? res.statusText
      }`,
    );
  }
  return json;
}

function describeGate(gate: any): string[] {
  const lines = [
    `gate: ${gate.allowed ? 'allowed' : 'refused'} (${gate.state})`,
  ];
  for (const reason of gate.reasons ?? []) {
    lines.push(`  - ${reason.code}: ${reason.message}`);
  }
  for (const packet of gate.packets ?? []) {
    lines.push(
      `  packet ${packet.packetId} (${packet.kind ?? 'other'}): ${
        packet.outcome
      } — ${packet.message}`,
    );
  }
  return lines;
}

/** Runs one command; resolves with the exit code. */
export async function run(
  options: CliOptions,
  log: (line: string) => void,
): Promise<number> {
  const token = await signIn(options.portal, options.browser, log);
  const id = options.proposal;
  const gate = await call(options, token, `/proposals/${id}/gate`);
  if (options.command === 'gate') {
    describeGate(gate).forEach(l => log(l));
    return gate.allowed ? 0 : 1;
  }
  if (options.command === 'apply') {
    const onlyWindow = (gate.reasons ?? []).every(
      (r: any) => r.code === 'outside-window',
    );
    if (!gate.allowed && !(onlyWindow && options.overrideReason)) {
      describeGate(gate).forEach(l => log(l));
      log(`apply refused: the gate does not allow proposal ${id}`);
      return 1;
    }
    const view = await call(options, token, `/proposals/${id}`);
    const reference = options.reference ?? view.proposal.changeRef;
    if (!reference) {
      log(
        `apply refused: proposal ${id} has no change reference; name what you applied with --reference`,
      );
      return 2;
    }
    const result = await call(options, token, `/proposals/${id}/apply`, {
      reference,
      evidence: options.evidence,
      ...(options.overrideReason
        ? {
            override: {
              reason: options.overrideReason,
              trackingRef: options.trackingRef,
            },
          }
        : {}),
    });
    log(
      `applied: proposal ${id} by ${result.proposal.appliedBy} (${reference}, evidence ${options.evidence}); verify or roll back next`,
    );
    return 0;
  }
  if (options.command === 'verify') {
    const result = await call(options, token, `/proposals/${id}/verify`, {
      evidence: options.evidence,
      ...(options.comment ? { comment: options.comment } : {}),
    });
    log(
      `verified: proposal ${id} by ${result.proposal.verifiedBy} (evidence ${options.evidence})`,
    );
    return 0;
  }
  const result = await call(options, token, `/proposals/${id}/rollback`, {
    reason: options.reason,
    evidence: options.evidence,
  });
  log(
    `rolled back: proposal ${id} by ${result.proposal.rolledBackBy} (evidence ${options.evidence})`,
  );
  return 0;
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const options = parseArgs(process.argv.slice(2), process.env);
    process.exitCode = await run(options, log);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`fabric: ${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`fabric: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main();
}
