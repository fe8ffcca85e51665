import { createApiRef } from '@backstage/frontend-plugin-api';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import type {
  SigningKeyChallenge,
  SigningKeyInfo,
  SigningKeyRegistration,
} from '@internal/plugin-fabric-common';
import { FabricBackendClient } from '../FabricBackendClient';

/** The one signing-key registry (`/api/signing-keys`), as the Signing key panel uses it. */
export interface SigningKeysApi {
  /** The caller's keys, newest first, with their status. */
  listMine(): Promise<SigningKeyInfo[]>;
  /** A fresh one-time challenge to sign with the key being registered. */
  createChallenge(): Promise<SigningKeyChallenge>;
  register(registration: SigningKeyRegistration): Promise<SigningKeyInfo>;
  revokeMine(reason?: string): Promise<SigningKeyInfo[]>;
}

export const signingKeysApiRef = createApiRef<SigningKeysApi>().with({
  id: 'plugin.signing-keys.api',
});

export class SigningKeysClient
  extends FabricBackendClient
  implements SigningKeysApi
{
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    super('signing-keys', options);
  }

  async listMine(): Promise<SigningKeyInfo[]> {
    return (await this.request<{ items: SigningKeyInfo[] }>('GET', '/keys/me'))
      .items;
  }

  createChallenge(): Promise<SigningKeyChallenge> {
    return this.request('POST', '/challenges', { body: {} });
  }

  register(registration: SigningKeyRegistration): Promise<SigningKeyInfo> {
    return this.request('PUT', '/keys/me', { body: registration });
  }

  async revokeMine(reason?: string): Promise<SigningKeyInfo[]> {
    return (
      await this.request<{ items: SigningKeyInfo[] }>('DELETE', '/keys/me', {
        body: reason ? { reason } : {},
      })
    ).items;
  }
}
