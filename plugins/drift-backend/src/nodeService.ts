import {
  driftCurrentQuerySchema,
  driftHistoryQuerySchema,
  driftReportReadPermission,
} from '@internal/plugin-drift-common';
import type { DriftService as DriftNodeService } from '@internal/plugin-drift-node';
import { parseInput, TenantScopedAccess } from '@internal/plugin-fabric-node';
import { DriftService } from './service/DriftService';

/**
 * The in-process face of the drift backend (`driftServiceRef`): the same parsing and
 * permission checks as `GET /current` and `GET /history`, applied to the caller's credentials. Uses only the
 * public methods of DriftService.
 */
export function createDriftNodeService(deps: {
  drift: DriftService;
  access: TenantScopedAccess;
}): DriftNodeService {
  return {
    async current(query, { credentials }) {
      const parsed = parseInput(driftCurrentQuerySchema, query, 'The query');
      const scope = await deps.access.scope(
        credentials,
        driftReportReadPermission,
      );
      return deps.drift.current(parsed, scope);
    },
    async history(query, { credentials }) {
      const parsed = parseInput(driftHistoryQuerySchema, query, 'The query');
      const scope = await deps.access.scope(
        credentials,
        driftReportReadPermission,
      );
      return deps.drift.history(parsed, scope);
    },
    async targetVerdict(target) {
      const query = parseInput(driftCurrentQuerySchema, target, 'The target');
      const current = await deps.drift.current(query, { all: true });
      if (current.runs.length === 0) {
        return { verdict: 'NONE', summary: 'no drift run recorded' };
      }
      const failing = current.findings.filter(f => f.verdict === 'FAIL');
      const named = failing
        .slice(0, 5)
        .map(f => `${f.provider} ${f.resource}`)
        .join(', ');
      return {
        verdict: current.verdict,
        summary: `${current.runs.length} current run(s), ${
          failing.length
        } FAIL finding(s)${named ? `: ${named}` : ''}`,
      };
    },
  };
}
