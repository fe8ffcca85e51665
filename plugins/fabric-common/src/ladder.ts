import { ENVIRONMENT_RESOURCE_TYPE } from './constants';
import { RefHolder, tryCanonicalFabricRef } from './refs';
import { EnvironmentLadder } from './schemas/environment';

/** The part of an environment entity the ladder helpers read. */
export interface LadderRung extends RefHolder {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { [key: string]: unknown };
}

function isEnvironment(entity: LadderRung): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === ENVIRONMENT_RESOURCE_TYPE
  );
}

function refOf(entity: LadderRung): string | undefined {
  return tryCanonicalFabricRef(entity.metadata.name, 'Resource', entity);
}

/** Finds `env` (bare name or ref, default namespace) among the environments. */
export function findRung<T extends LadderRung>(
  environments: ReadonlyArray<T>,
  env: string,
): T | undefined {
  const wanted = tryCanonicalFabricRef(env, 'Resource', {
    metadata: { namespace: 'default' },
  });
  return environments.find(e => isEnvironment(e) && refOf(e) === wanted);
}

/**
 * The rung a promotion from `env` goes to: the environment named by
 * `spec.next` of `env`, looked up among `environments` (e.g. every Resource of
 * type environment the catalog holds). Undefined when `env` is the top of its
 * ladder, or unknown, or its `next` is not among `environments`.
 *
 * Pure; the promotion proposal uses it to check that `from -> to` is one step.
 */
export function nextRung<T extends LadderRung>(
  environments: ReadonlyArray<T>,
  env: string,
): T | undefined {
  const current = findRung(environments, env);
  const next = current?.spec?.next;
  if (!current || typeof next !== 'string') return undefined;
  const target = tryCanonicalFabricRef(next, 'Resource', current);
  return environments.find(e => isEnvironment(e) && refOf(e) === target);
}

/** True when `to` is exactly the next rung of `from`. */
export function isOneRungUp(
  environments: ReadonlyArray<LadderRung>,
  from: string,
  to: string,
): boolean {
  const next = nextRung(environments, from);
  const target = findRung(environments, to);
  return next !== undefined && next === target;
}

/** The rungs of one ladder, bottom first. */
export function ladderRungs<T extends LadderRung>(
  environments: ReadonlyArray<T>,
  ladder: EnvironmentLadder,
): T[] {
  return environments
    .filter(e => isEnvironment(e) && e.spec?.ladder === ladder)
    .sort((a, b) => Number(a.spec?.rung ?? 0) - Number(b.spec?.rung ?? 0));
}

/**
 * Problems of the ladders as a whole, which no single entity can show: a
 * `next` pointing outside its ladder or to a rung that is not the one above,
 * a ladder with two rungs at one position, a rung below the top without next.
 */
export function ladderProblems(
  environments: ReadonlyArray<LadderRung>,
): string[] {
  const problems: string[] = [];
  const ladders = new Set(
    environments.filter(isEnvironment).map(e => String(e.spec?.ladder)),
  );
  for (const ladder of ladders) {
    const rungs = ladderRungs(environments, ladder as EnvironmentLadder);
    if (ladder === 'samakia-infra') {
      // Each infra Terraform environment stands alone: no promotion between them.
      for (const rung of rungs) {
        if (rung.spec?.next) {
          problems.push(
            `${rung.metadata.name}: the samakia-infra environments are separate Terraform environments, not a ladder; remove next`,
          );
        }
      }
      continue;
    }
    rungs.forEach((rung, index) => {
      const name = rung.metadata.name;
      if (Number(rung.spec?.rung) !== index) {
        problems.push(
          `${name}: rung ${String(
            rung.spec?.rung,
          )} breaks the ${ladder} ladder's numbering; number rungs 0..${
            rungs.length - 1
          } without gaps or repeats`,
        );
      }
      const above = rungs[index + 1];
      const next = nextRung(environments, refOf(rung) ?? name);
      if (above && next !== above) {
        problems.push(
          `${name}: next must be ${above.metadata.name}, the rung above it on the ${ladder} ladder`,
        );
      }
      if (!above && rung.spec?.next) {
        problems.push(
          `${name}: the top of the ${ladder} ladder has no next rung; remove next`,
        );
      }
    });
  }
  return problems;
}
