import { Config } from '@backstage/config';
import { tryCanonicalFabricRef } from '@internal/plugin-fabric-common';

const HOLDER = { metadata: { namespace: 'default' } };

/**
 * Of the environments a new tenant or rule will touch, the one whose approval
 * rules are strictest (production first, then most required approvals), read
 * from the approvals backend's own configuration: a tenant that will run in
 * production is approved under production's rules.
 */
export function strictestEnvironment(
  config: Config,
  environments: string[],
): string {
  const rules = config.getOptionalConfig('approvals.environments');
  const score = (env: string) => {
    const name = (tryCanonicalFabricRef(env, 'Resource', HOLDER) ?? env)
      .split('/')
      .pop()!;
    const envRules = rules?.getOptionalConfig(name);
    return (
      (envRules?.getOptionalBoolean('production') ? 1000 : 0) +
      (envRules?.getOptionalNumber('requiredApprovals') ?? 1)
    );
  };
  return [...environments].sort((a, b) => score(b) - score(a))[0];
}
