import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { ProposalView } from '@internal/plugin-approvals-common';
import * as tar from 'tar';
import { actionContext, outputsOf } from '../__testUtils__/fixtures';
import { createGuardedRunAction } from './guardedRun';
import { GpgHome } from '@internal/fabric-test-utils';

// Each case builds, hashes and archives a packet on disk; on a loaded 2-core CI machine one
// case has run past jest's default 5 s.
jest.setTimeout(60_000);

const PROPOSAL_ID = '0b7f9f3c-6b7a-4b7e-9e0c-3a7c1f1c2d3e';
const rollback = {
  project: 'basicconsulting-no',
  deploymentId: 'a1b2c3d4-0000-4000-8000-000000000001',
};

function view(
  overrides: {
    state?: string;
    allowed?: boolean;
    details?: Record<string, unknown>;
  } = {},
): ProposalView {
  return {
    proposal: {
      id: PROPOSAL_ID,
      tenant: 'tenant:default/project-birds',
      type: 'other',
      environment: 'resource:default/samakia-prod',
      title: 'Roll basicconsulting.no back',
      change: {
        description: 'Roll back',
        details: overrides.details ?? {
          operation: 'site-rollback',
          ...rollback,
        },
      },
      requester: 'user:default/bea.birds',
      evidence: [],
      submittedAt: '2026-11-23T10:00:00.000Z',
      digest: 'a'.repeat(64),
      state: (overrides.state ?? 'approved') as any,
      version: 3,
      updatedAt: '2026-11-23T10:00:00.000Z',
    },
    decisions: [],
    rules: {} as any,
    gate: {
      proposalId: PROPOSAL_ID,
      state: (overrides.state ?? 'approved') as any,
      allowed: overrides.allowed ?? true,
      reasons:
        overrides.allowed === false
          ? [
              {
                code: 'not-approved',
                message: 'needs 2 approvals, has 1',
              } as any,
            ]
          : [],
      evaluatedAt: '2026-11-23T10:00:00.000Z',
    },
  };
}

describe('fabric:guarded:run', () => {
  const mockDir = createMockDirectory();
  const get = jest.fn();
  const upload = jest.fn();
  const action = createGuardedRunAction({
    auth: mockServices.auth(),
    proposals: { get },
    evidence: { upload },
    settings: { execute: false, timeoutMs: 1000 },
    appBaseUrl: 'http://portal.example',
    now: () => new Date('2026-11-24T08:30:00.000Z'),
  });
  const workspacePath = () => mockDir.resolve('workspace');
  const run = (input: Record<string, unknown>, isDryRun = false) =>
    actionContext(
      {
        operation: 'site-rollback',
        proposalId: PROPOSAL_ID,
        parameters: rollback,
        ...input,
      },
      { workspacePath: workspacePath(), isDryRun },
    );

  beforeEach(() => {
    mockDir.clear();
    get.mockReset();
    upload.mockReset();
  });

  it('refuses without an approved proposal, before anything runs or is stored', async () => {
    for (const [state, allowed] of [
      ['in-review', false],
      ['validated', false],
      ['applied', false],
      // Approved, but the gate says no (an approval lapsed, a window closed).
      ['approved', false],
    ] as const) {
      get.mockResolvedValueOnce(view({ state, allowed }));
      await expect(action.handler(run({}) as any)).rejects.toThrow(
        `is ${state}`,
      );
    }
    expect(upload).not.toHaveBeenCalled();
    expect(fs.existsSync(path.join(workspacePath(), 'guarded-run'))).toBe(
      false,
    );
  });

  it("refuses another tenant's proposal and one that does not exist, as the user sees them", async () => {
    // Both answer alike: another tenant's proposal is not found for the user either.
    get.mockRejectedValueOnce(new NotFoundError('No proposal with id p-1'));
    await expect(action.handler(run({}) as any)).rejects.toThrow(
      /Refused: .*No proposal with id p-1/,
    );
    get.mockRejectedValueOnce(new NotFoundError('no proposal'));
    await expect(action.handler(run({}) as any)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    // Asked as the task's user, never as the scaffolder.
    expect(get.mock.calls[0][1].credentials.principal.userEntityRef).toBe(
      'user:default/olivia.operator',
    );
    expect(upload).not.toHaveBeenCalled();
  });

  it('refuses an approved proposal for another site, deployment or operation', async () => {
    for (const details of [
      { operation: 'site-rollback', ...rollback, project: 'other-site' },
      { operation: 'site-rollback', ...rollback, deploymentId: 'older' },
      { operation: 'phantom-domain-removal', ...rollback },
      undefined as any,
    ]) {
      get.mockResolvedValueOnce(view({ details: details ?? {} }));
      await expect(action.handler(run({}) as any)).rejects.toThrow(
        'does not approve this run',
      );
    }
    expect(upload).not.toHaveBeenCalled();
  });

  it('names the field of bad parameters', async () => {
    await expect(
      action.handler(
        run({ parameters: { project: 'Bad Name', deploymentId: 'x' } }) as any,
      ),
    ).rejects.toThrow(/project/);
    expect(get).not.toHaveBeenCalled();
  });

  it('dry-runs the /retry rollback and stores a packet whose manifest covers what it did', async () => {
    get.mockResolvedValue(view());
    let stored: Buffer | undefined;
    upload.mockImplementation(async (archive: Readable, query) => {
      const chunks: Buffer[] = [];
      for await (const c of archive) chunks.push(c as Buffer);
      stored = Buffer.concat(chunks);
      expect(query).toEqual({
        area: 'operations',
        subject: 'site-rollback/basicconsulting-no',
        timestamp: '2026-11-24T08:30:00Z',
      });
      return {
        created: true,
        packet: { id: 'packet-1', verdict: 'unsigned' },
      };
    });
    const ctx = run({});
    await action.handler(ctx as any);
    expect(outputsOf(ctx)).toEqual({
      mode: 'dry-run',
      result: 'PASS',
      packetId: 'packet-1',
      packetVerdict: 'unsigned',
      evidenceUrl: 'http://portal.example/evidence/packets/packet-1',
    });
    // Unpack what was uploaded and check it like the evidence backend would.
    const out = mockDir.resolve('unpacked');
    fs.mkdirSync(out);
    await pipeline(Readable.from([stored!]), tar.x({ cwd: out }));
    const manifest = fs.readFileSync(path.join(out, 'manifest.sha256'), 'utf8');
    const lines = manifest.trim().split('\n');
    expect(lines.map(l => l.split('  ')[1])).toEqual([
      'packet.json',
      'steps/01-list-deployments/exit_code',
      'steps/01-list-deployments/stderr.log',
      'steps/01-list-deployments/stdout.log',
      'steps/02-retry-deployment/exit_code',
      'steps/02-retry-deployment/stderr.log',
      'steps/02-retry-deployment/stdout.log',
      'summary.md',
    ]);
    for (const line of lines) {
      const [sum, file] = line.split('  ');
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(out, file)))
          .digest('hex'),
      ).toBe(sum);
    }
    const retry = fs.readFileSync(
      path.join(out, 'steps/02-retry-deployment/stdout.log'),
      'utf8',
    );
    expect(retry).toContain('DRY RUN');
    expect(retry).toContain(
      `/pages/projects/basicconsulting-no/deployments/${rollback.deploymentId}/retry`,
    );
    // Never the removed wrangler subcommand, and no secret in the packet.
    const all = lines
      .map(l => fs.readFileSync(path.join(out, l.split('  ')[1]), 'utf8'))
      .join('\n');
    expect(all).not.toContain('deployment rollback');
    expect(all).toContain('${CF_API_TOKEN}');
    expect(
      JSON.parse(fs.readFileSync(path.join(out, 'packet.json'), 'utf8')),
    ).toEqual(
      expect.objectContaining({
        result: 'PASS',
        mode: 'dry-run',
        proposal: PROPOSAL_ID,
        tenant: 'tenant:default/project-birds',
      }),
    );
  });

  it('gives two runs in the same second two packet timestamps', async () => {
    const times = ['2026-11-24T08:30:00.120Z', '2026-11-24T08:30:00.480Z'];
    const twice = createGuardedRunAction({
      auth: mockServices.auth(),
      proposals: { get },
      evidence: { upload },
      settings: { execute: false, timeoutMs: 1000 },
      appBaseUrl: 'http://portal.example',
      now: () => new Date(times.shift()!),
    });
    get.mockResolvedValue(view());
    upload.mockImplementation(async (archive: Readable) => {
      // Read to the end, as the evidence backend does, before the run's folder goes.
      for await (const _chunk of archive) {
        // nothing to keep
      }
      return { created: true, packet: { id: 'packet-1', verdict: 'unsigned' } };
    });
    await twice.handler(run({}) as any);
    await twice.handler(run({}) as any);
    expect(upload.mock.calls.map(([, query]) => query.timestamp)).toEqual([
      '2026-11-24T08:30:00.120Z',
      '2026-11-24T08:30:00.480Z',
    ]);
  });

  it('runs the phantom-removal protocol in its order: attach and verify the real domain before removing the phantom', async () => {
    const params = {
      phantom: 'kenyhot.vercel.app',
      real: 'kenyhot.pro',
      authoritativeProject: 'kenyhot',
    };
    get.mockResolvedValue(
      view({ details: { operation: 'phantom-domain-removal', ...params } }),
    );
    upload.mockResolvedValue({
      created: true,
      packet: { id: 'p2', verdict: 'unsigned' },
    });
    await action.handler(
      run({ operation: 'phantom-domain-removal', parameters: params }) as any,
    );
    const steps = fs.readdirSync(
      path.join(
        workspacePath(),
        'guarded-run',
        '2026-11-24T08-30-00Z',
        'steps',
      ),
    );
    expect(steps).toEqual([
      '01-inspect-real-domain',
      '02-attach-real-domain',
      '03-verify-real-before',
      '04-remove-phantom',
      '05-verify-real-after',
    ]);
  });

  it('keeps the packet in the workspace in the template editor’s dry run', async () => {
    get.mockResolvedValue(view());
    const ctx = run({}, true);
    await action.handler(ctx as any);
    expect(upload).not.toHaveBeenCalled();
    expect(outputsOf(ctx)).toEqual({ mode: 'dry-run', result: 'PASS' });
  });

  it('signs the manifest with the configured key from its gpg home, so the real gpg verifies it', async () => {
    const gpg = new GpgHome('fabric-guarded-unit-');
    try {
      const uid = 'Olivia <olivia.operator@samakia.example>';
      gpg.generateKey(uid);
      const signed = createGuardedRunAction({
        auth: mockServices.auth(),
        proposals: { get },
        evidence: { upload },
        settings: {
          execute: false,
          timeoutMs: 1000,
          signingKey: gpg.fingerprint(uid),
          gnupgHome: gpg.dir,
        },
        appBaseUrl: 'http://portal.example',
        now: () => new Date('2026-11-24T08:30:00.000Z'),
      });
      get.mockResolvedValue(view());
      upload.mockResolvedValue({
        created: true,
        packet: { id: 'p3', verdict: 'verified' },
      });
      await signed.handler(run({}) as any);
      const dir = path.join(
        workspacePath(),
        'guarded-run',
        '2026-11-24T08-30-00Z',
      );
      const asc = path.join(dir, 'manifest.sha256.asc');
      expect(fs.readFileSync(asc, 'utf8')).toContain('BEGIN PGP SIGNATURE');
      // gpg says the signature is good and made by that key.
      const status = gpg.gpg([
        '--status-fd',
        '1',
        '--verify',
        asc,
        path.join(dir, 'manifest.sha256'),
      ]);
      expect(status).toContain(`VALIDSIG ${gpg.fingerprint(uid)}`);
      // A changed manifest no longer verifies.
      fs.appendFileSync(path.join(dir, 'manifest.sha256'), 'x\n');
      expect(() =>
        gpg.gpg(['--verify', asc, path.join(dir, 'manifest.sha256')]),
      ).toThrow();
    } finally {
      gpg.dispose();
    }
  });

  it('fails the run, storing nothing, when the key is not in the configured gpg home', async () => {
    const gpg = new GpgHome('fabric-guarded-empty-');
    try {
      const unsigned = createGuardedRunAction({
        auth: mockServices.auth(),
        proposals: { get },
        evidence: { upload },
        settings: {
          execute: false,
          timeoutMs: 1000,
          signingKey: '0123456789ABCDEF0123456789ABCDEF01234567',
          gnupgHome: gpg.dir,
        },
        appBaseUrl: 'http://portal.example',
      });
      get.mockResolvedValue(view());
      await expect(unsigned.handler(run({}) as any)).rejects.toThrow(
        'gpg could not sign the packet',
      );
      expect(upload).not.toHaveBeenCalled();
    } finally {
      gpg.dispose();
    }
  });
});
