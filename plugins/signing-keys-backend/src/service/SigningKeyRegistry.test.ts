import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { GpgHome } from '@internal/fabric-test-utils';
import * as openpgp from 'openpgp';
import { applyMigrations } from '../database/migrations';
import { CHALLENGE_TTL_MS, SigningKeyRegistry } from './SigningKeyRegistry';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const OLIVIA = 'user:default/olivia.operator';
const OSCAR = 'user:default/oscar.operator';
const ADA = 'user:default/ada.admin';
const OLIVIA_UID = 'Olivia <olivia@example.com>';
const OSCAR_UID = 'Oscar <oscar@example.com>';
const SUB_UID = 'Sam Subkey <sam@example.com>';

// One GnuPG home holds everybody's secret keys, so tests can also play the attacker who
// somehow has a signature; what each user may register is the registry's business.
const gpg = new GpgHome();
let oliviaKey: string;
let oscarKey: string;
let samKey: string;

beforeAll(() => {
  oliviaKey = gpg.generateKey(OLIVIA_UID);
  oscarKey = gpg.generateKey(OSCAR_UID);
  gpg.generateKey(SUB_UID);
  samKey = gpg.addSigningSubkey(SUB_UID);
});
afterAll(() => gpg.dispose());

describe.each(databases.eachSupportedId())('SigningKeyRegistry on %s', id => {
  let clock: Date;

  async function setUp(databaseId: TestDatabaseId) {
    const db = await databases.init(databaseId);
    await applyMigrations(db);
    clock = new Date('2026-12-20T10:00:00.000Z');
    return {
      db,
      registry: new SigningKeyRegistry({ db, now: () => clock }),
    };
  }

  async function registerWithProof(
    registry: SigningKeyRegistry,
    userRef: string,
    publicKey: string,
    signer: string,
  ) {
    const challenge = await registry.createChallenge(userRef);
    return registry.register(userRef, {
      publicKey,
      challengeId: challenge.id,
      signature: gpg.sign(signer, challenge.text),
    });
  }

  it('registers a key whose holder signed a fresh challenge, and audits it', async () => {
    const { registry } = await setUp(id);
    const challenge = await registry.createChallenge(OLIVIA);
    expect(challenge.text).toContain(`user=${OLIVIA}`);
    expect(challenge.text).not.toMatch(/['\n]/);
    expect(challenge.expiresAt).toBe('2026-12-20T10:10:00.000Z');
    const info = await registry.register(OLIVIA, {
      publicKey: oliviaKey,
      challengeId: challenge.id,
      signature: gpg.sign(OLIVIA_UID, challenge.text),
    });
    expect(info).toMatchObject({
      userRef: OLIVIA,
      status: 'active',
      fingerprint: gpg.fingerprint(OLIVIA_UID),
    });
    expect(
      (await registry.activeKeysOf(OLIVIA)).map(k => k.fingerprint),
    ).toEqual([gpg.fingerprint(OLIVIA_UID)]);
    expect(await registry.audit({ userRef: OLIVIA })).toEqual([
      expect.objectContaining({ action: 'registered', actor: OLIVIA }),
    ]);
  });

  it("refuses oscar registering olivia's public key: he cannot sign his challenge with it", async () => {
    const { registry } = await setUp(id);
    await registerWithProof(registry, OLIVIA, oliviaKey, OLIVIA_UID);
    const challenge = await registry.createChallenge(OSCAR);
    // Signed with his own key: not the key he claims.
    await expect(
      registry.register(OSCAR, {
        publicKey: oliviaKey,
        challengeId: challenge.id,
        signature: gpg.sign(OSCAR_UID, challenge.text),
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('not by the key being registered'),
    });
    // A signature of olivia's over other text (e.g. her own challenge) is no proof either.
    const hers = await registry.createChallenge(OLIVIA);
    await expect(
      registry.register(OSCAR, {
        publicKey: oliviaKey,
        challengeId: challenge.id,
        signature: gpg.sign(OLIVIA_UID, hers.text),
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('does not verify over the challenge'),
    });
    // Her challenge, answered by her, submitted by him: the challenge is not his.
    await expect(
      registry.register(OSCAR, {
        publicKey: oliviaKey,
        challengeId: hers.id,
        signature: gpg.sign(OLIVIA_UID, hers.text),
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    // Even with a valid proof (he stole her secret key) the key stays hers.
    await expect(
      registerWithProof(registry, OSCAR, oliviaKey, OLIVIA_UID),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(`registered to ${OLIVIA}`),
    });
    expect(await registry.activeKeysOf(OSCAR)).toEqual([]);
    const refusals = (await registry.audit({ userRef: OSCAR })).filter(
      r => r.action === 'registration-refused',
    );
    expect(refusals).toHaveLength(4);
  });

  it('refuses a key that carries a subkey of somebody else', async () => {
    const { registry } = await setUp(id);
    await registerWithProof(registry, 'user:default/sam', samKey, SUB_UID);
    const [, samSubkey] = gpg.fingerprints(SUB_UID);
    // Oscar's key with Sam's public subkey packets appended (no secret needed to do that).
    const oscar = await openpgp.readKey({ armoredKey: oscarKey });
    const sam = await openpgp.readKey({ armoredKey: samKey });
    // A subkey's packets: the public subkey and its binding signature (made by Sam's key).
    const subkey = new openpgp.PacketList<openpgp.AnyPacket>();
    subkey.push(sam.subkeys[0].keyPacket, ...sam.subkeys[0].bindingSignatures);
    const bytes = new Uint8Array([...oscar.write(), ...subkey.write()]);
    const grafted = (await openpgp.readKey({ binaryKey: bytes })).armor();
    await expect(
      registerWithProof(registry, OSCAR, grafted, OSCAR_UID),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(samSubkey),
    });
  });

  it('accepts a challenge signed by a signing subkey of the registered key', async () => {
    const { registry } = await setUp(id);
    const info = await registerWithProof(registry, OLIVIA, samKey, SUB_UID);
    expect(info.fingerprints).toEqual(gpg.fingerprints(SUB_UID));
  });

  it('refuses an expired challenge and a used one', async () => {
    const { registry } = await setUp(id);
    const challenge = await registry.createChallenge(OLIVIA);
    const registration = {
      publicKey: oliviaKey,
      challengeId: challenge.id,
      signature: gpg.sign(OLIVIA_UID, challenge.text),
    };
    clock = new Date(clock.getTime() + CHALLENGE_TTL_MS);
    await expect(registry.register(OLIVIA, registration)).rejects.toMatchObject(
      {
        name: 'InputError',
        message: expect.stringContaining('expired'),
      },
    );
    clock = new Date(clock.getTime() - 1);
    await registry.register(OLIVIA, registration);
    await expect(registry.register(OLIVIA, registration)).rejects.toMatchObject(
      {
        name: 'ConflictError',
        message: expect.stringContaining('already used'),
      },
    );
  });

  it('refuses an unknown challenge, a private key and a block of two keys', async () => {
    const { registry } = await setUp(id);
    const challenge = await registry.createChallenge(OLIVIA);
    const signature = gpg.sign(OLIVIA_UID, challenge.text);
    await expect(
      registry.register(OLIVIA, {
        publicKey: oliviaKey,
        challengeId: '00000000-0000-4000-8000-000000000000',
        signature,
      }),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      registry.register(OLIVIA, {
        publicKey: gpg.exportSecretKey(OLIVIA_UID),
        challengeId: challenge.id,
        signature,
      }),
    ).rejects.toMatchObject({ name: 'InputError' });
    const both = gpg.gpg(['--armor', '--export', OLIVIA_UID, OSCAR_UID]);
    await expect(
      registry.register(OLIVIA, {
        publicKey: both,
        challengeId: challenge.id,
        signature,
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('holds 2 keys'),
    });
  });

  it('replaces and revokes: a revoked key verifies nothing and frees its fingerprint', async () => {
    const { registry } = await setUp(id);
    await registerWithProof(registry, OLIVIA, samKey, SUB_UID);
    const second = await registerWithProof(
      registry,
      OLIVIA,
      oliviaKey,
      OLIVIA_UID,
    );
    const keys = await registry.listFor(OLIVIA);
    expect(keys.map(k => k.status).sort()).toEqual(['active', 'revoked']);
    expect((await registry.activeKeysOf(OLIVIA)).map(k => k.id)).toEqual([
      second.id,
    ]);
    const revoked = await registry.revoke(OLIVIA, OLIVIA, 'laptop lost');
    expect(revoked.every(k => k.status === 'revoked')).toBe(true);
    expect(await registry.activeKeysOf(OLIVIA)).toEqual([]);
    expect(await registry.activeKeys()).toEqual([]);
    await expect(registry.revoke(OLIVIA, OLIVIA)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    // An administrator's revocation is recorded with who did it.
    await registerWithProof(registry, OSCAR, oscarKey, OSCAR_UID);
    await registry.revoke(ADA, OSCAR, 'left the team');
    expect(await registry.audit({ userRef: OSCAR })).toEqual([
      expect.objectContaining({
        action: 'revoked',
        actor: ADA,
        details: expect.objectContaining({ reason: 'left the team' }),
      }),
      expect.objectContaining({ action: 'registered' }),
    ]);
    expect(
      (await registry.audit({ userRef: OLIVIA })).map(r => r.action),
    ).toEqual(['revoked', 'replaced', 'registered']);
  });

  it('imports old rows as flagged keys that verify nothing, idempotently', async () => {
    const { registry } = await setUp(id);
    const fpr = gpg.fingerprint(OLIVIA_UID);
    const rows = [
      {
        userRef: OLIVIA,
        fingerprint: fpr,
        armoredKey: oliviaKey,
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      // The transplant of the issue, already in the old table.
      {
        userRef: OSCAR,
        fingerprint: fpr,
        armoredKey: oliviaKey,
        createdAt: '2026-01-02T00:00:00.000Z',
      },
    ];
    expect(await registry.importLegacy('approvals', rows)).toEqual({
      imported: 2,
      skipped: 0,
    });
    // The same registration in the evidence table, and a second start.
    expect(await registry.importLegacy('evidence', rows.slice(0, 1))).toEqual({
      imported: 0,
      skipped: 1,
    });
    expect(await registry.importLegacy('approvals', rows)).toEqual({
      imported: 0,
      skipped: 2,
    });
    const [olivia] = await registry.listFor(OLIVIA);
    const [oscar] = await registry.listFor(OSCAR);
    expect(olivia).toMatchObject({
      status: 'conflict',
      legacySource: 'approvals',
    });
    expect(oscar).toMatchObject({ status: 'conflict' });
    expect(olivia.statusMessage).toContain(OSCAR);
    expect(await registry.activeKeys()).toEqual([]);
    // Olivia proves possession: her key is active, her flagged row retired; oscar's stays flagged.
    await registerWithProof(registry, OLIVIA, oliviaKey, OLIVIA_UID);
    expect((await registry.listFor(OLIVIA)).map(k => k.status).sort()).toEqual([
      'active',
      'revoked',
    ]);
    expect((await registry.listFor(OSCAR)).map(k => k.status)).toEqual([
      'conflict',
    ]);
    expect(await registry.importLegacy('approvals', rows)).toEqual({
      imported: 0,
      skipped: 2,
    });
    expect((await registry.activeKeys()).map(k => k.userRef)).toEqual([OLIVIA]);
  });

  it('flags a lone old row as unproven, and keeps an unreadable one flagged', async () => {
    const { registry } = await setUp(id);
    await registry.importLegacy('evidence', [
      {
        userRef: OSCAR,
        fingerprint: gpg.fingerprint(OSCAR_UID),
        armoredKey: oscarKey,
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      {
        userRef: ADA,
        fingerprint: 'ABCDEF',
        armoredKey: 'garbage',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect((await registry.listFor(OSCAR))[0]).toMatchObject({
      status: 'unproven',
      statusMessage: expect.stringContaining('register it again'),
    });
    expect((await registry.listFor(ADA))[0]).toMatchObject({
      status: 'unproven',
      fingerprint: 'ABCDEF',
    });
    expect(await registry.activeKeysOf(OSCAR)).toEqual([]);
    expect(
      (await registry.audit({})).filter(r => r.action === 'flagged'),
    ).toHaveLength(2);
  });
});
