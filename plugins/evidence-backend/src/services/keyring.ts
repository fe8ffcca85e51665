import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EvidenceSigningKeyInfo,
  OPENPGP_KEY_ANNOTATION,
} from '@internal/plugin-evidence-common';
import * as openpgp from 'openpgp';
import { SigningKeyStore } from '../database/SigningKeyStore';
import { ArmoredKey, Keyring } from './signatures';

/** Where verification gets its keys from. */
export interface KeyringSource {
  load(): Promise<Keyring>;
}

/**
 * The key ring is assembled from three places, each naming the catalog user
 * or group a key belongs to:
 * 1. the annotation `fabric.samakia.io/openpgp-public-key` on catalog `User`
 *    and `Group` entities (reviewed like any catalog change);
 * 2. `evidence.signingKeys` in configuration;
 * 3. keys users registered themselves through `PUT /keys/me`.
 */
export class EvidenceKeyringSource implements KeyringSource {
  constructor(
    private readonly options: {
      catalog?: CatalogService;
      auth?: AuthService;
      configured: ArmoredKey[];
      registered: SigningKeyStore;
      logger: LoggerService;
    },
  ) {}

  async load(): Promise<Keyring> {
    const armored: ArmoredKey[] = [...this.options.configured];
    armored.push(...(await this.fromCatalog()));
    for (const key of await this.options.registered.all()) {
      armored.push({
        owner: key.userRef,
        source: 'registered',
        armored: key.armoredKey,
      });
    }
    const { keyring, problems } = await Keyring.fromArmored(armored);
    for (const problem of problems) this.options.logger.warn(problem);
    return keyring;
  }

  private async fromCatalog(): Promise<ArmoredKey[]> {
    const { catalog, auth } = this.options;
    if (!catalog || !auth) return [];
    const annotationKey = `metadata.annotations.${OPENPGP_KEY_ANNOTATION}`;
    const { items } = await catalog.getEntities(
      {
        filter: [
          { kind: 'User', [annotationKey]: CATALOG_FILTER_EXISTS },
          { kind: 'Group', [annotationKey]: CATALOG_FILTER_EXISTS },
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items.flatMap(entity => {
      const value = entity.metadata.annotations?.[OPENPGP_KEY_ANNOTATION];
      return value
        ? [
            {
              owner: stringifyEntityRef(entity),
              source: 'catalog' as const,
              armored: value,
            },
          ]
        : [];
    });
  }
}

/** Checks a key a user registers: readable, public, not revoked or expired, able to sign. */
export async function checkSigningKey(
  armoredKey: string,
  now: Date,
): Promise<string> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey });
  } catch (error) {
    throw new InputError(
      `publicKey is not a readable OpenPGP key (${
        (error as Error).message
      }); paste the output of gpg --armor --export <key id>`,
    );
  }
  if (key.isPrivate()) {
    throw new InputError(
      'publicKey holds a private key; never upload it. Paste only the public part: gpg --armor --export <key id>',
    );
  }
  try {
    await key.verifyPrimaryKey(now);
  } catch (error) {
    throw new InputError(
      `publicKey cannot be used: ${
        (error as Error).message
      }; register a key that is neither revoked nor expired`,
    );
  }
  try {
    await key.getSigningKey(undefined, now);
  } catch {
    throw new InputError(
      'publicKey has no key usable for signing; register a key with the sign capability',
    );
  }
  return key.getFingerprint();
}

/** Users register the key they sign manifests with (one per user, replaceable). */
export class SigningKeyService {
  constructor(
    private readonly store: SigningKeyStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(userRef: string): Promise<EvidenceSigningKeyInfo> {
    const key = await this.store.find(userRef);
    if (!key) {
      throw new NotFoundError(
        `${userRef} has no registered evidence signing key; register one with PUT /keys/me`,
      );
    }
    const { armoredKey: _armored, ...info } = key;
    return info;
  }

  async register(
    userRef: string,
    armoredKey: string,
  ): Promise<EvidenceSigningKeyInfo> {
    const now = this.now();
    const fingerprint = await checkSigningKey(armoredKey, now);
    const { armoredKey: _armored, ...info } = await this.store.upsert(
      { userRef, fingerprint, armoredKey },
      now.toISOString(),
    );
    return info;
  }
}
