import { createHash } from 'node:crypto';
import { DriftVerdict } from '@internal/plugin-drift-common';
import { Knex } from 'knex';
import { ResourceSignalState } from '../service/signals';

const TABLE = 'drift_resource_state';

interface StateRow {
  key: string;
  scope_key: string;
  tenant_ref: string | null;
  entity_ref: string;
  environment: string;
  source: string;
  provider: string;
  resource: string;
  verdict: string;
  warn_streak: number | string;
  announced: string | null;
  last_run_id: string;
  updated_at: string;
}

/** The scope a run belongs to; its newest run is the current state of the scope. */
export interface RunScope {
  entity: string;
  tenant?: string;
  environment: string;
  source: string;
}

const sha256 = (parts: string[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex');

export function scopeKeyOf(scope: RunScope): string {
  return sha256([
    scope.entity,
    scope.tenant ?? '',
    scope.environment,
    scope.source,
  ]);
}

/** The `drift_resource_state` table: what the notification rules remember per resource. */
export class StateStore {
  async forScope(
    tx: Knex.Transaction,
    scopeKey: string,
  ): Promise<ResourceSignalState[]> {
    const rows = await tx<StateRow>(TABLE).where('scope_key', scopeKey);
    return rows.map(row => ({
      provider: row.provider,
      resource: row.resource,
      verdict: row.verdict as DriftVerdict,
      warnStreak: Number(row.warn_streak),
      announced: row.announced as ResourceSignalState['announced'],
    }));
  }

  /** Replaces the scope's state with the resources of its newest run. */
  async replaceScope(
    tx: Knex.Transaction,
    scope: RunScope,
    runId: string,
    states: ResourceSignalState[],
    updatedAt: string,
  ): Promise<void> {
    const scopeKey = scopeKeyOf(scope);
    await tx(TABLE).where('scope_key', scopeKey).delete();
    const rows: StateRow[] = states.map(s => ({
      key: sha256([scopeKey, s.provider, s.resource]),
      scope_key: scopeKey,
      tenant_ref: scope.tenant ?? null,
      entity_ref: scope.entity,
      environment: scope.environment,
      source: scope.source,
      provider: s.provider,
      resource: s.resource,
      verdict: s.verdict,
      warn_streak: s.warnStreak,
      announced: s.announced,
      last_run_id: runId,
      updated_at: updatedAt,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await tx(TABLE).insert(rows.slice(i, i + 200));
    }
  }
}
