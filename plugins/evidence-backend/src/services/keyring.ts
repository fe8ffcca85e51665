import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { checkSigningKey } from '@internal/plugin-fabric-node';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EvidenceSigningKeyInfo,
  OPENPGP_KEY_ANNOTATION,
} from '@internal/plugin-evidence-common';
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
