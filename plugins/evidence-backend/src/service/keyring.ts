import { LoggerService } from '@backstage/backend-plugin-api';
import { SigningKeysService } from '@internal/plugin-fabric-node';
import { Keyring } from './signatures';

/** Where verification gets its keys from. */
export interface KeyringSource {
  load(): Promise<Keyring>;
}

/**
 * The key ring is the signing-key registry's ACTIVE keys, each owned by the one user who
 * proved possession of it: a signature's signer is that owner. Catalog annotations and
 * configured keys are not read (nobody proved anything for them). Revoking or replacing a key
 * changes the ring's digest, so packets verified with the old ring are verified again.
 */
export class RegistryKeyringSource implements KeyringSource {
  constructor(
    private readonly options: {
      registry: SigningKeysService;
      logger: LoggerService;
    },
  ) {}

  async load(): Promise<Keyring> {
    const active = await this.options.registry.activeKeys();
    const { keyring, problems } = await Keyring.fromArmored(
      active.map(key => ({
        owner: key.userRef,
        source: 'registered' as const,
        armored: key.armoredKey,
      })),
    );
    for (const problem of problems) this.options.logger.warn(problem);
    return keyring;
  }
}
