import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot } from './support/bootBackend';

// The real backend process (src/index.ts, as `yarn start` runs it) with app-config.yaml plus one
// broken setting: it must exit non-zero and say which config key to fix, instead of logging the
// failure and serving the plugins that did start.

jest.setTimeout(300_000);

const backendDir = path.join(repoRoot, 'packages/backend');

async function runUntilExit(broken: object) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-startup-'));
  const override = {
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
    },
    auth: {
      providers: {
        oidc: {
          development: {
            metadataUrl: `${baseUrl}/api/dev-idp/.well-known/openid-configuration`,
          },
        },
      },
    },
    catalog: {
      locations: [
        { type: 'file', target: path.join(repoRoot, 'catalog/all.yaml') },
      ],
    },
    techdocs: {
      publisher: { local: { publishDirectory: path.join(tmpDir, 'techdocs') } },
    },
    evidence: { dataDir: path.join(tmpDir, 'evidence') },
    fabric: {
      scaffolder: { localPublish: { dir: path.join(tmpDir, 'repos') } },
    },
  };
  const files = [override, broken].map((content, i) => {
    // JSON is YAML, so the config loader reads these like app-config files.
    const file = path.join(tmpDir, `app-config.test-${i}.yaml`);
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
  });
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      ...[path.join(repoRoot, 'app-config.yaml'), ...files].flatMap(f => [
        '--config',
        f,
      ]),
    ],
    {
      cwd: backendDir,
      env: { ...process.env, NODE_ENV: 'development', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', chunk => (output += chunk));
  child.stderr.on('data', chunk => (output += chunk));
  // Today's failure mode is a process that never exits: bound the wait (a test failure, not a
  // pass condition) and never leave the process behind.
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code, signal] = await new Promise<[number | null, string | null]>(
    resolve => child.once('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(killer);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  return { code, signal, output };
}

describe('backend start-up with a broken setting', () => {
  it('exits non-zero naming the change window and maintenance window cron keys', async () => {
    const result = await runUntilExit({
      approvals: {
        environments: {
          production: {
            changeWindows: [
              { kind: 'allow', cron: '0 61 * * *', duration: { hours: 1 } },
            ],
          },
        },
      },
      drift: {
        notifications: {
          maintenanceWindows: [
            { name: 'weekly', cron: 'every saturday', duration: { hours: 2 } },
          ],
        },
      },
    });
    expect({ code: result.code, signal: result.signal }).toEqual({
      code: 1,
      signal: null,
    });
    expect(result.output).toContain('Fabric Portal backend failed to start');
    expect(result.output).toContain(
      "approvals.environments.production.changeWindows[0].cron: '0 61 * * *' is not a valid cron expression",
    );
    expect(result.output).toContain(
      "drift.notifications.maintenanceWindows[0].cron: 'every saturday' is not a valid cron expression",
    );
  });

  it('exits non-zero for a production environment without an allow window (seed 000:569)', async () => {
    const result = await runUntilExit({
      approvals: {
        environments: {
          'edge-prod': { production: true, requiredApprovals: 2 },
        },
      },
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('Fabric Portal backend failed to start');
    expect(result.output).toContain(
      'approvals.environments.edge-prod.changeWindows: a production environment needs at least one allow window',
    );
  });

  it('exits non-zero for a promotion packet kind the gate does not know', async () => {
    const result = await runUntilExit({
      approvals: {
        environments: {
          dev: { promotionPacketKinds: ['eval-report', 'EvalReport'] },
        },
      },
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('Fabric Portal backend failed to start');
    expect(result.output).toContain(
      "approvals.environments.dev.promotionPacketKinds[1]: unknown packet kind 'EvalReport'; use one of eval-report, dataset-manifest, compatibility",
    );
  });

  it('exits non-zero naming a missing required key', async () => {
    const result = await runUntilExit({
      approvals: {
        environments: {
          staging: {
            changeWindows: [{ kind: 'allow', duration: { hours: 1 } }],
          },
        },
      },
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('Fabric Portal backend failed to start');
    expect(result.output).toMatch(
      /Missing required config value at 'approvals\.environments\.staging\.changeWindows\[0\]\.cron'/,
    );
  });
});
