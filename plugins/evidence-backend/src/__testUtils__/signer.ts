import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { GpgHome } from '@internal/fabric-test-utils';
import { Knex } from 'knex';
import { EvidenceService } from '../service/EvidenceService';
import { KeyringSource } from '../service/keyring';
import { ArmoredKey, Keyring } from '../service/signatures';
import type { UploadStorage } from '../storage/UploadStorage';
import { testSettings } from './settings';

/** The operator whose registered key signs the packets of most tests. */
export const OLIVIA = 'user:default/olivia.operator';
const OLIVIA_UID = 'Olivia <olivia@example.com>';
const OLIVIA_EMAIL = 'olivia@example.com';

/** A key ring of `keys`, read when the service loads it (so they may be made in beforeAll). */
export function keyringOf(keys: ArmoredKey[]): KeyringSource {
  return { load: async () => (await Keyring.fromArmored(keys)).keyring };
}

/** A key a test signs with: registered for `owner`, or made but registered for nobody. */
export type TestSigner = { uid: string; owner?: string };

/**
 * Keys made by the real gpg in one GnuPG home, the registered ones in `keyrings`. Call it at the
 * top of a test file: the keys are made before the file's tests run and the home removed after.
 */
export function useSigners(signers: TestSigner[]) {
  const gpg = new GpgHome();
  const keys: ArmoredKey[] = [];
  beforeAll(() => {
    for (const { uid, owner } of signers) {
      const armored = gpg.generateKey(uid);
      if (owner) keys.push({ owner, source: 'registered', armored });
    }
  });
  afterAll(() => gpg.dispose());
  return { gpg, keyrings: keyringOf(keys) };
}

/** Olivia's key, registered for {@link OLIVIA}, and a way to sign a packet with it. */
export function useOliviaSigner() {
  const { gpg, keyrings } = useSigners([{ uid: OLIVIA_UID, owner: OLIVIA }]);
  return {
    gpg,
    keyrings,
    /** Signs the packet's `manifest.sha256` as Olivia, into `manifest.sha256.asc`. */
    signManifest(dir: string) {
      gpg.detachSign(
        path.join(dir, 'manifest.sha256'),
        path.join(dir, 'manifest.sha256.asc'),
        OLIVIA_EMAIL,
      );
    },
  };
}

/** The evidence service as the plugin builds it, over the test settings of one root. */
export function testEvidenceService(
  options: Parameters<typeof testSettings>[0] & {
    db: Knex;
    keyrings: KeyringSource;
    storage?: UploadStorage;
  },
): EvidenceService {
  const { db, keyrings, storage, ...settings } = options;
  return new EvidenceService({
    db,
    settings: testSettings(settings),
    keyrings,
    logger: mockServices.logger.mock(),
    storage,
  });
}
