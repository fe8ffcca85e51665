import { CI_TOKEN, GpgHome } from '@internal/fabric-test-utils';
import { bootBackend, waitFor } from './support/bootBackend';
import { devSignInAll } from './support/oidcFlow';
import {
  backendDatabase,
  pgDatabasePrefix,
} from './reliability/support/postgres';

// A guarded site rollback through the real scaffolder of the local default profile, with
// fabric.guardedActions.signingKey set to a key made by the real gpg: the packet it stores is
// signed, and the evidence verifier calls it `verified` because the key's owner registered it
// (signed challenge) in the signing-key registry. Without the registration the same signature
// is not trusted.

jest.setTimeout(600_000);

// The auth session store's cleanup timer outlives backend.stop(); off, so dropping the
// PostgreSQL run's databases does not fail the file (as in productionProfile.test.ts).
jest.mock('connect-session-knex', () =>
  jest.requireActual('./support/sessionStore').withoutCleanup(),
);

type Json = any;
const OPERATOR_UID = 'Olivia <olivia.operator@samakia.example>';

describe.each(['sqlite', 'postgres'] as const)(
  'guarded runs sign their packets with the configured key (%s)',
  dbKind => {
    const pg = dbKind === 'postgres' ? pgDatabasePrefix('guarded') : undefined;
    const gpg = new GpgHome('fabric-guarded-');
    let backend: Awaited<ReturnType<typeof bootBackend>>;
    const tokens: Record<string, string> = {};
    let publicKey: string;

    async function api(
      user: string,
      method: string,
      urlPath: string,
      body?: unknown,
    ) {
      const res = await fetch(`${backend.baseUrl}/api${urlPath}`, {
        method,
        headers: {
          Authorization: `Bearer ${tokens[user]}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    }

    /** bea asks for the rollback; olivia approves it (samakia-dev needs one approval). */
    async function approvedRollback(deploymentId: string): Promise<string> {
      const submitted = await api('bea', 'POST', '/approvals/proposals', {
        tenant: 'project-birds',
        type: 'other',
        environment: 'samakia-dev',
        title: `Roll basicconsulting.no back to ${deploymentId}`,
        change: {
          description: 'Re-deploy the last good deployment',
          details: {
            operation: 'site-rollback',
            project: 'basicconsulting-no',
            deploymentId,
          },
        },
      });
      expect(submitted.status).toBe(201);
      const id = submitted.body.id;
      expect(
        (await api('olivia', 'POST', `/approvals/proposals/${id}/claim`, {}))
          .status,
      ).toBe(200);
      const approved = await api(
        'olivia',
        'POST',
        `/approvals/proposals/${id}/approve`,
        {
          comment: 'roll back',
        },
      );
      expect([approved.status, approved.body.proposal.state]).toEqual([
        200,
        'approved',
      ]);
      return id;
    }

    /** olivia runs the site-rollback template; returns the task's output. */
    async function rollback(proposalId: string, deploymentId: string) {
      const created = await api('olivia', 'POST', '/scaffolder/v2/tasks', {
        templateRef: 'template:default/site-rollback',
        values: {
          proposalId,
          project: 'basicconsulting-no',
          deploymentId,
          site: 'component:default/alai-basicconsulting-web',
        },
      });
      expect(created.status).toBe(201);
      const task = await waitFor(
        'the rollback task',
        async () => {
          const res = await api(
            'olivia',
            'GET',
            `/scaffolder/v2/tasks/${created.body.id}`,
          );
          return ['completed', 'failed', 'cancelled'].includes(res.body?.status)
            ? res.body
            : undefined;
        },
        180_000,
      );
      const events = await api(
        'olivia',
        'GET',
        `/scaffolder/v2/tasks/${created.body.id}/events`,
      );
      const completion = events.body.find((e: Json) => e.type === 'completion');
      expect(task.status).toBe('completed');
      // The template's output: a link to the packet and `PASS (dry-run); packet verdict: <v>`.
      const output = completion.body.output;
      return {
        text: output.text[0].content as string,
        packetId: (output.links[0].url as string).split('/').pop()!,
      };
    }

    beforeAll(async () => {
      publicKey = gpg.generateKey(OPERATOR_UID);
      backend = await bootBackend({
        configs: ['app-config.yaml'],
        dataFolders: true,
        extraConfig: () => ({
          backend: {
            database: backendDatabase(pg?.prefix),
          },
          fabric: {
            guardedActions: {
              signingKey: gpg.fingerprint(OPERATOR_UID),
              gnupgHome: gpg.dir,
            },
          },
        }),
      });
      await waitFor('the users and the site-rollback template', async () => {
        const res = await fetch(
          `${backend.baseUrl}/api/catalog/entities/by-name/template/default/site-rollback`,
          {
            headers: {
              Authorization: `Bearer ${CI_TOKEN}`,
            },
          },
        );
        return res.status === 200 ? true : undefined;
      });
      Object.assign(
        tokens,
        await devSignInAll(backend.baseUrl, {
          olivia: 'olivia.operator',
          bea: 'bea.birds',
        }),
      );
    });

    afterAll(async () => {
      await backend?.stop();
      await pg?.drop();
      gpg.dispose();
    });

    it('stores a signed packet that is not trusted before the key is registered, and verified after', async () => {
      // Before the operator registers the key, the signature is there but proves nothing.
      const early = await rollback(
        await approvedRollback('a1b2c3d4-0000-4000-8000-000000000001'),
        'a1b2c3d4-0000-4000-8000-000000000001',
      );
      expect(early.text).toBe('PASS (dry-run); packet verdict: unsigned');
      const unknown = await api(
        'olivia',
        'GET',
        `/evidence/packets/${early.packetId}`,
      );
      expect(unknown.body.signatures).toEqual([
        expect.objectContaining({
          file: 'manifest.sha256.asc',
          status: 'unknown-key',
        }),
      ]);
      expect(unknown.body.signers).toEqual([]);

      const challenge = await api(
        'olivia',
        'POST',
        '/signing-keys/challenges',
        {},
      );
      const registered = await api('olivia', 'PUT', '/signing-keys/keys/me', {
        publicKey,
        challengeId: challenge.body.id,
        signature: gpg.sign(OPERATOR_UID, challenge.body.text),
      });
      expect(registered.status).toBe(200);

      const deploymentId = 'a1b2c3d4-0000-4000-8000-000000000002';
      const output = await rollback(
        await approvedRollback(deploymentId),
        deploymentId,
      );
      expect(output.text).toBe('PASS (dry-run); packet verdict: verified');
      const packet = await api(
        'olivia',
        'GET',
        `/evidence/packets/${output.packetId}`,
      );
      expect(packet.status).toBe(200);
      expect(packet.body).toMatchObject({
        verdict: 'verified',
        signers: ['user:default/olivia.operator'],
        tenant: 'tenant:default/project-birds',
        area: 'operations',
      });
      // The tenant whose proposal it ran under reads the same verdict.
      const asTenant = await api(
        'bea',
        'GET',
        `/evidence/packets/${output.packetId}`,
      );
      expect([asTenant.status, asTenant.body?.verdict]).toEqual([
        200,
        'verified',
      ]);
    });
  },
);
