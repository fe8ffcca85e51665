import {
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/** The entity a reference is written in; only its namespace matters. */
export interface RefHolder {
  metadata: { namespace?: string };
}

/**
 * Resolves a reference as written in a Fabric spec (a bare name or a full
 * ref) to a compound ref, relative to the entity that holds it: a bare name
 * takes `defaultKind` and the holder's namespace.
 */
export function resolveFabricRef(
  value: string,
  defaultKind: string | undefined,
  holder: RefHolder,
): CompoundEntityRef {
  const ref = parseEntityRef(value, {
    defaultKind,
    defaultNamespace: holder.metadata.namespace ?? DEFAULT_NAMESPACE,
  });
  // Kinds are case-insensitive; lower-case them so equal refs compare equal.
  return { ...ref, kind: ref.kind.toLocaleLowerCase('en-US') };
}

/** The canonical string form of {@link resolveFabricRef}, for comparisons. */
export function canonicalFabricRef(
  value: string,
  defaultKind: string | undefined,
  holder: RefHolder,
): string {
  return stringifyEntityRef(resolveFabricRef(value, defaultKind, holder));
}

/**
 * Like {@link canonicalFabricRef} but returns undefined for a value that is
 * not a reference. Cross-field checks use it because zod still runs them when
 * a field only failed its own format check.
 */
export function tryCanonicalFabricRef(
  value: string,
  defaultKind: string | undefined,
  holder: RefHolder,
): string | undefined {
  try {
    return canonicalFabricRef(value, defaultKind, holder);
  } catch {
    return undefined;
  }
}
