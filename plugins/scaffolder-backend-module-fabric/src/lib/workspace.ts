import fs from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import YAML from 'yaml';

/** Writes a file below the task workspace (never outside it). */
export async function writeWorkspaceFile(
  workspacePath: string,
  relativePath: string,
  content: string,
): Promise<void> {
  const file = resolveSafeChildPath(workspacePath, relativePath);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, content, 'utf8');
}

/**
 * YAML from data, never from string templates, so user input cannot inject
 * keys or documents into an entity file.
 */
export function toYaml(value: unknown, header?: string): string {
  const body = YAML.stringify(value, { lineWidth: 100 });
  return header
    ? `${header
        .split('\n')
        .map(line => `# ${line}`.trimEnd())
        .join('\n')}\n${body}`
    : body;
}

/** The signed-in user behind a task, for commit authors and document owners. */
export function taskUser(ctx: ActionContext<JsonObject, JsonObject>): {
  ref?: string;
  name: string;
  email: string;
} {
  const entity = ctx.user?.entity as Entity | undefined;
  const profile = (entity?.spec?.profile ?? {}) as {
    displayName?: string;
    email?: string;
  };
  const ref =
    ctx.user?.ref ?? (entity ? stringifyEntityRef(entity) : undefined);
  const short = ref?.split('/').pop();
  return {
    ref,
    name: profile.displayName ?? short ?? 'Fabric Portal',
    email: profile.email ?? `${short ?? 'scaffolder'}@fabric-portal.invalid`,
  };
}

/** Today's date as YYYY-MM-DD (UTC), for document headers. */
export function isoDate(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
