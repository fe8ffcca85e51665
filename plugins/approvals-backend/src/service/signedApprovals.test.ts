import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  ProposalSubmission,
  proposalSubmissionSchema,
} from '@internal/plugin-approvals-common';
import { GpgHome } from '@internal/fabric-test-utils';
// The registry's real implementation in tests, as the backend composes it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  openSigningKeyRegistry,
  SigningKeyRegistry,
} from '@internal/plugin-signing-keys-backend';
import { Knex } from 'knex';
import { LegacySigningKeyTable } from '../database/LegacySigningKeyTable';
import { applyMigrations } from '../database/migrations';
import { Actor } from './actors';
import { GateService } from './GateService';
import { ProposalService } from './ProposalService';
import { createApprovalsRules } from './rules';
import { OpenPgpSignatureVerifier, registryKeys } from './signatures';

/**
 * Signed production approvals against the real signing-key registry and real gpg signatures:
 * the key-transplant attack of issue 17 and its variants are refused at approval, and a real
 * two-person approval still opens the gate.
 */
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const tina: Actor = { userRef: 'user:default/tina', roles: ['tenant'] };
const olivia: Actor = {
  userRef: 'user:default/olivia.operator',
  roles: ['operator'],
};
const oscar: Actor = {
  userRef: 'user:default/oscar.operator',
  roles: ['operator'],
};
const OLIVIA_UID = 'Olivia <olivia@example.com>';
const OSCAR_UID = 'Oscar <oscar@example.com>';

const gpg = new GpgHome();
let oliviaKey: string;
let oscarKey: string;
beforeAll(() => {
  oliviaKey = gpg.generateKey(OLIVIA_UID);
  oscarKey = gpg.generateKey(OSCAR_UID);
});
afterAll(() => gpg.dispose());

function submission(): ProposalSubmission {
  return proposalSubmissionSchema.parse({
    tenant: 'project-birds',
    type: 'other',
    environment: 'samakia-prod',
    title: 'Rotate the birds database password',
    change: { description: 'Rotate credentials' },
  });
}

describe.each(databases.eachSupportedId())(
  'signed approvals on %p',
  databaseId => {
    let knex: Knex;
    let registry: SigningKeyRegistry;
    let service: ProposalService;
    let gate: GateService;

    beforeEach(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(knex);
      registry = await openSigningKeyRegistry(
        await databases.init(databaseId as TestDatabaseId),
      );
      service = new ProposalService({
        db: knex,
        signatures: new OpenPgpSignatureVerifier(registryKeys(registry)),
        // samakia-prod: two approvers, signatures required, no change windows.
        // Production (by its name): two signed approvals; an allow window open all day.
        rules: createApprovalsRules({
          environments: {
            'samakia-prod': {
              changeWindows: [
                {
                  kind: 'allow',
                  cron: '0 0 * * *',
                  durationMs: 24 * 60 * 60 * 1000,
                  timeZone: 'UTC',
                },
              ],
            },
          },
        }),
      });
      gate = new GateService(service);
    });

    async function register(actor: Actor, publicKey: string, signer: string) {
      const challenge = await registry.createChallenge(actor.userRef);
      return registry.register(actor.userRef, {
        publicKey,
        challengeId: challenge.id,
        signature: gpg.sign(signer, challenge.text),
      });
    }

    async function approve(actor: Actor, id: string, signer: string) {
      const { digest } = await service.proposals.get(id);
      await service.claim(actor, id);
      return service.approve(actor, id, {
        signature: gpg.sign(signer, digest),
      });
    }

    it('opens the gate after two approvers sign with keys of their own', async () => {
      await register(olivia, oliviaKey, OLIVIA_UID);
      await register(oscar, oscarKey, OSCAR_UID);
      const p = await service.submit(tina, submission());
      await approve(olivia, p.id, OLIVIA_UID);
      expect((await approve(oscar, p.id, OSCAR_UID)).state).toBe('approved');
      expect(await gate.evaluate(p.id)).toMatchObject({ allowed: true });
      const { decisions } = await service.get(p.id);
      expect(decisions.map(d => d.signingKeyFingerprint)).toEqual([
        gpg.fingerprint(OLIVIA_UID),
        gpg.fingerprint(OSCAR_UID),
      ]);
    });

    it("refuses oscar replaying olivia's signature as his approval", async () => {
      await register(olivia, oliviaKey, OLIVIA_UID);
      await register(oscar, oscarKey, OSCAR_UID);
      const p = await service.submit(tina, submission());
      await service.claim(olivia, p.id);
      const hers = gpg.sign(OLIVIA_UID, p.digest);
      await service.approve(olivia, p.id, { signature: hers });
      await service.claim(oscar, p.id);
      await expect(
        service.approve(oscar, p.id, { signature: hers }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'does not verify against the keys registered to user:default/oscar.operator',
        ),
      });
      expect(await gate.evaluate(p.id)).toMatchObject({ allowed: false });
    });

    it("does not trust the transplanted key of the old table: oscar's copy of olivia's key is flagged", async () => {
      // The state the issue describes, left in the old approvals table by PUT /keys/me.
      await knex('approvals_signing_keys').insert([
        {
          user_ref: olivia.userRef,
          fingerprint: gpg.fingerprint(OLIVIA_UID),
          armored_key: oliviaKey,
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
        },
        {
          user_ref: oscar.userRef,
          fingerprint: gpg.fingerprint(OLIVIA_UID),
          armored_key: oliviaKey,
          created_at: '2026-01-02T00:00:00.000Z',
          updated_at: '2026-01-02T00:00:00.000Z',
        },
      ]);
      await registry.importLegacy(
        'approvals',
        await new LegacySigningKeyTable(knex).all(),
      );
      const p = await service.submit(tina, submission());
      await service.claim(oscar, p.id);
      await expect(
        service.approve(oscar, p.id, {
          signature: gpg.sign(OLIVIA_UID, p.digest),
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('has no active signing key'),
      });
      // Olivia's own imported key is not trusted either until she proves possession.
      const q = await service.submit(tina, submission());
      await service.claim(olivia, q.id);
      await expect(approveAgain(olivia, q.id)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          `Approval refused: ${olivia.userRef} has no active signing key`,
        ),
      });
      await register(olivia, oliviaKey, OLIVIA_UID);
      expect((await approveAgain(olivia, q.id)).state).toBe('in-review');
    });

    async function approveAgain(actor: Actor, id: string) {
      const { digest } = await service.proposals.get(id);
      return service.approve(actor, id, {
        signature: gpg.sign(OLIVIA_UID, digest),
      });
    }

    it('refuses a key that already backs another decision on the proposal', async () => {
      await register(olivia, oliviaKey, OLIVIA_UID);
      const p = await service.submit(tina, submission());
      await approve(olivia, p.id, OLIVIA_UID);
      // The key changes hands: olivia revokes it, oscar (who holds it) registers it.
      await registry.revoke(olivia.userRef, olivia.userRef, 'handed over');
      await register(oscar, oliviaKey, OLIVIA_UID);
      await service.claim(oscar, p.id);
      await expect(
        service.approve(oscar, p.id, {
          signature: gpg.sign(OLIVIA_UID, p.digest),
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          `already backs the approval of ${olivia.userRef}`,
        ),
      });
      expect((await service.proposals.get(p.id)).state).toBe('in-review');
    });

    it('refuses a signature made with a revoked key', async () => {
      await register(olivia, oliviaKey, OLIVIA_UID);
      await registry.revoke(olivia.userRef, olivia.userRef);
      const p = await service.submit(tina, submission());
      await service.claim(olivia, p.id);
      await expect(
        service.approve(olivia, p.id, {
          signature: gpg.sign(OLIVIA_UID, p.digest),
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          `Approval refused: ${olivia.userRef} has no active signing key`,
        ),
      });
    });
  },
);
