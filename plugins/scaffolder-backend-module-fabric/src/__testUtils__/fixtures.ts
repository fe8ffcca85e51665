import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  EnvironmentRules,
  ruleStrictness,
} from '@internal/plugin-approvals-common';
import { ApprovalsRulesApi } from '@internal/plugin-approvals-node';
import {
  inDefaultNamespace,
  loadCatalogFile,
} from '@internal/fabric-test-utils';

/** Entities of the repository catalog files (no Location following needed here). */
export function repoEntities(...files: string[]): Entity[] {
  return files.flatMap(loadCatalogFile).map(inDefaultNamespace);
}

export const catalogEntities = repoEntities(
  'org.yaml',
  'environments.yaml',
  'tenants.yaml',
  'sites.yaml',
  'services.yaml',
  'substrate-executors.yaml',
  'planes.yaml',
  'zakon-rules.yaml',
);

/** An action context with a fresh workspace, run by `user`. */
export function actionContext(
  input: Record<string, unknown>,
  options: { user?: string; workspacePath: string; isDryRun?: boolean },
) {
  const userRef = options.user ?? 'user:default/olivia.operator';
  fs.mkdirSync(options.workspacePath, { recursive: true });
  const ctx = createMockActionContext({
    input: input as any,
    workspacePath: options.workspacePath,
    user: { ref: userRef },
  });
  // createMockActionContext fixes these two, so set them on the result.
  return {
    ...ctx,
    isDryRun: options.isDryRun,
    getInitiatorCredentials: async () => mockCredentials.user(userRef),
  };
}

/** Output values an action reported, by name. */
export function outputsOf(ctx: { output: jest.Mock | any }) {
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
  );
}

export function readWorkspace(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

/**
 * The approvals rules the render actions read through approvals-node, as the approvals
 * backend would resolve them for these environments (by name; refs or names accepted).
 */
export function approvalRulesOf(
  environments: Record<string, Partial<EnvironmentRules>>,
): Pick<ApprovalsRulesApi, 'strictest' | 'configuredEnvironments'> {
  const rulesOf = (env: string): EnvironmentRules => ({
    production: false,
    requiredApprovals: 1,
    requireSignature: false,
    approvalTtlMs: 72 * 3600_000,
    changeWindows: [],
    ...environments[env.split('/').pop()!],
  });
  return {
    configuredEnvironments: async () => Object.keys(environments),
    strictest: async envs =>
      envs.reduce((best, env) =>
        ruleStrictness(rulesOf(env)) > ruleStrictness(rulesOf(best))
          ? env
          : best,
      ),
  };
}
