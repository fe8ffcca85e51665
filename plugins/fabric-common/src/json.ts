import { z } from 'zod';
import { formatFieldPath } from './problems';

/**
 * How deep any JSON a Fabric API accepts may nest. Real documents stay far below (a Terraform
 * plan of nested modules and blocks rarely passes 30); the bound is there because recursive
 * code further on (zod, canonical JSON, redaction, knex) runs out of stack somewhere in the
 * thousands, and a stack overflow is a 500, not an answer.
 */
export const MAX_JSON_DEPTH = 100;

export interface JsonValueProblem {
  /** Where below the value, e.g. `details.limits[2]`; empty for the value itself. */
  path: string;
  message: string;
}

/**
 * The first reason `value` is not plain, bounded JSON: nested deeper than `maxDepth`, a number
 * that is not finite (`1e999` parses to Infinity, which JSON cannot write back), or something
 * JSON has no word for (a function, undefined in a list, a class instance). Walks the value with
 * an explicit stack, so a 20,000-level document is refused rather than overflowing the
 * call stack.
 */
export function jsonValueProblem(
  value: unknown,
  maxDepth: number = MAX_JSON_DEPTH,
): JsonValueProblem | undefined {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [
    { value, path: [] },
  ];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (item.path.length > maxDepth) {
      return {
        path: formatFieldPath(item.path.slice(0, 3)),
        message: `nests deeper than ${maxDepth} levels; send a flatter document`,
      };
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') {
      continue;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        return {
          path: formatFieldPath(item.path),
          message: `is ${v}, not a finite number (a literal such as 1e999 is beyond what a number holds); send a number within ±1.7e308`,
        };
      }
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i], path: [...item.path, i] });
      }
      continue;
    }
    if (isPlainObject(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        // An absent optional member is fine; JSON simply leaves it out.
        if (entries[i][1] === undefined) continue;
        stack.push({
          value: entries[i][1],
          path: [...item.path, entries[i][0]],
        });
      }
      continue;
    }
    return {
      path: formatFieldPath(item.path),
      message: `is ${
        v === undefined ? 'undefined' : typeof v
      }, which is not JSON; send text, a number, true/false, null, a list or an object`,
    };
  }
  return undefined;
}

/**
 * A plain object of any realm: values built by the scaffolder's template sandbox have another
 * realm's `Object.prototype`, so compare the shape of the chain, not the prototype itself.
 * Class instances, Dates, Maps and the like are not JSON.
 */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  if (Object.prototype.toString.call(v) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function refineJson(value: unknown, ctx: z.RefinementCtx) {
  const problem = jsonValueProblem(value);
  if (problem) {
    ctx.addIssue({
      code: 'custom',
      // The path inside the value, so the message names the exact member.
      message: problem.path
        ? `${problem.path} ${problem.message}`
        : problem.message,
    });
  }
}

/**
 * Any JSON value, bounded in depth and with finite numbers only. Use this (not `z.json()` or
 * `z.unknown()`) for free-form parts of a request such as a change's `details` or a drift
 * finding's declared value: `z.json()` recurses per level and overflows on deep input.
 */
export const jsonValueField = z.unknown().superRefine(refineJson);

/** A JSON object (string keys) with the bounds of {@link jsonValueField}. */
export const jsonObjectField = z
  .record(z.string(), z.unknown())
  .superRefine(refineJson);
