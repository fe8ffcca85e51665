import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ProposalSubmission,
  parseProposalChange,
} from '@internal/plugin-approvals-common';
import { LadderRung, findRung, isOneRungUp, nextRung } from '@internal/plugin-fabric-common';
import { CatalogLookup } from './catalogChecks';

function refusal(field: string, message: string): InputError {
  return new InputError(`The proposal is invalid: ${field}: ${message}`);
}

async function rung(
  catalog: CatalogLookup,
  env: string,
  field: string,
): Promise<Entity> {
  const entity = await catalog.getEntity(env);
  const found = entity ? findRung([entity as LadderRung], env) : undefined;
  if (!entity || !found) {
    throw refusal(
      field,
      `${env} is not an environment of the catalog's ladders; name a catalogued environment`,
    );
  }
  return entity;
}

/**
 * A promotion moves exactly one rung up its ladder, as the catalog has it (`spec.next`):
 * `change.from` and `change.to` must be catalogued environments and `to` must be the next rung
 * of `from`. Skipping a rung, going down, crossing ladders or promoting from the top is refused
 * at submit with a 400 naming the field. The shape (from != to, to = the proposal's target)
 * is checked by the change schema and the automatic validation.
 */
export async function assertOneRungUp(
  input: Pick<ProposalSubmission, 'type' | 'change'>,
  catalog: CatalogLookup | undefined,
): Promise<void> {
  if (input.type !== 'promotion' || !catalog) return;
  const parsed = parseProposalChange('promotion', input.change);
  if (!parsed.success) return; // validation reports the shape problems
  const { from, to } = parsed.data as { from: string; to: string };
  const fromRung = await rung(catalog, from, 'change.from');
  const toRung = await rung(catalog, to, 'change.to');
  const rungs = [fromRung, toRung] as LadderRung[];
  if (isOneRungUp(rungs, from, to)) return;
  const [fromName, toName] = [fromRung.metadata.name, toRung.metadata.name];
  const spec = (e: Entity) => (e.spec ?? {}) as Record<string, unknown>;
  const sameLadder = spec(fromRung).ladder === spec(toRung).ladder;
  if (sameLadder && Number(spec(toRung).rung) <= Number(spec(fromRung).rung)) {
    throw refusal(
      'change.to',
      `${toName} is below ${fromName} on its ladder; a promotion only moves one rung up (a step down is a rollback of the later rung)`,
    );
  }
  const next = spec(fromRung).next;
  const expected =
    nextRung(rungs, from)?.metadata.name ??
    (typeof next === 'string' ? next : undefined);
  throw refusal(
    'change.to',
    expected
      ? `${toName} is not the next rung of ${fromName}; the next rung is ${expected} (a promotion cannot skip a rung)`
      : `${fromName} is the top of its ladder; nothing is promoted from it`,
  );
}
