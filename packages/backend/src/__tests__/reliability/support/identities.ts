import { waitFor } from '../../support/bootBackend';
import { devSignIn } from '../../support/oidcFlow';
// Test support only (run by the reliability tests), where the dev dependency is right.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { CI_TOKEN } from '@internal/fabric-test-utils';
import { USERS } from '../../support/users';

export { USERS };

export { CI_TOKEN };

/**
 * The callers of the authorization matrix: the four USERS (see there for who is who), the CI
 * token and no token at all.
 */
export const WHO = [
  'operator',
  'approver',
  'tenantA',
  'tenantB',
  'ci',
  'anonymous',
] as const;
export type Who = (typeof WHO)[number];

export type Identities = Record<Who, string | undefined>;

/** Waits until the catalog of `baseUrl` serves every tenant and the users to sign in. */
export async function waitForCatalog(baseUrl: string) {
  await waitFor(
    'the catalog to load tenants and users',
    async () => {
      const res = await fetch(
        `${baseUrl}/api/catalog/entities/by-query?filter=kind=tenant&filter=kind=user&fields=kind,metadata.name&limit=500`,
        { headers: { Authorization: `Bearer ${CI_TOKEN}` } },
      );
      if (!res.ok) return undefined;
      const items: Array<{ kind: string; metadata: { name: string } }> = (
        await res.json()
      ).items;
      const names = new Set(items.map(e => e.metadata.name));
      return items.filter(e => e.kind === 'Tenant').length >= 3 &&
        Object.values(USERS).every(u => names.has(u))
        ? true
        : undefined;
    },
    150_000,
  );
}

/** A token (or none) for every caller of the matrix, users signed in over OIDC. */
export async function identities(baseUrl: string): Promise<Identities> {
  await waitForCatalog(baseUrl);
  const result: Identities = {
    operator: undefined,
    approver: undefined,
    tenantA: undefined,
    tenantB: undefined,
    ci: CI_TOKEN,
    anonymous: undefined,
  };
  for (const [who, username] of Object.entries(USERS)) {
    result[who as keyof typeof USERS] = await devSignIn(baseUrl, username);
  }
  return result;
}
