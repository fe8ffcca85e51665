import { EntityQuery, FoundRow } from '../database/EntityStore';
import { ReadModel } from './ReadModel';

/** A sorted list of refs and the same refs as a set (the scan order and the membership test). */
interface Posting {
  sorted: string[];
  set: Set<string>;
}

interface Snapshot {
  version: string;
  rows: Map<string, FoundRow>;
  byKind: Map<string, Posting>;
  byFact: Map<string, Posting>;
}

const factKey = (fact: string, value: string) => `${fact}\u0000${value}`;

function postings(pairs: Iterable<[string, string]>): Map<string, Posting> {
  const lists = new Map<string, string[]>();
  for (const [key, ref] of pairs) {
    const list = lists.get(key);
    if (list) list.push(ref);
    else lists.set(key, [ref]);
  }
  const result = new Map<string, Posting>();
  for (const [key, list] of lists) {
    list.sort();
    result.set(key, { sorted: list, set: new Set(list) });
  }
  return result;
}

/** Index of the first element of `sorted` greater than `after`. */
function firstAfter(sorted: string[], after: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const EMPTY: Posting = { sorted: [], set: new Set() };

/**
 * The read model of one replica, in memory: the tables stay the source (every replica reloads
 * them when the version row has moved, checked every second by `refresh`), and a question is
 * answered from sorted posting lists without a database round trip. A snapshot older than
 * `maxAgeMs` (the database could not be read) is not used: the question then goes to the
 * tables, so an answer is never staler than that.
 */
export class ReadModelIndex {
  #snapshot?: Snapshot;
  #checkedAt = 0;

  constructor(
    private readonly readModel: ReadModel,
    private readonly options: { maxAgeMs: number; now?: () => number },
  ) {}

  #now() {
    return (this.options.now ?? Date.now)();
  }

  /** Reloads the tables if their version moved; returns whether it did. */
  async refresh(): Promise<boolean> {
    const checkedAt = this.#now();
    const version = await this.readModel.version.current();
    if (this.#snapshot?.version === version) {
      this.#checkedAt = checkedAt;
      return false;
    }
    // Read after the version: a change landing in between is picked up by the next check.
    const [rows, facts] = await Promise.all([
      this.readModel.entities.listAll(),
      this.readModel.facts.listAll(),
    ]);
    this.#snapshot = {
      version,
      rows: new Map(rows.map(r => [r.ref, r])),
      byKind: postings(rows.map(r => [r.kind, r.ref])),
      byFact: postings(facts.map(f => [factKey(f.fact, f.value), f.ref])),
    };
    this.#checkedAt = checkedAt;
    return true;
  }

  /** The entities answering `query`, ordered by ref, like `EntityStore.find`. */
  async find(query: EntityQuery): Promise<FoundRow[]> {
    const snapshot = this.#snapshot;
    if (!snapshot || this.#now() - this.#checkedAt > this.options.maxAgeMs) {
      return this.readModel.entities.find(query);
    }
    const found = this.#match(snapshot, query);
    if (!query.withEntity || !found.length) return found;
    const json = await this.readModel.entities.entityJson(
      found.map(r => r.ref),
    );
    // An entity deleted since the snapshot is left out (it is no longer in the catalog).
    return found
      .filter(r => json.has(r.ref))
      .map(r => ({ ...r, entity: json.get(r.ref) }));
  }

  #match(snapshot: Snapshot, query: EntityQuery): FoundRow[] {
    const accepts = (row: FoundRow | undefined): row is FoundRow =>
      !!row &&
      row.kind === query.kind &&
      (query.type === undefined || row.type === query.type) &&
      (query.namespace === undefined || row.namespace === query.namespace) &&
      (query.name === undefined || row.name === query.name);
    const lists = [
      snapshot.byKind.get(query.kind) ?? EMPTY,
      ...query.facts.map(
        f => snapshot.byFact.get(factKey(f.fact, f.value)) ?? EMPTY,
      ),
    ];
    if (query.name !== undefined && query.namespace !== undefined) {
      // kind:namespace/name is the ref: one lookup.
      const ref = `${query.kind}:${query.namespace}/${query.name}`;
      lists.push(
        snapshot.rows.has(ref) ? postings([['', ref]]).get('')! : EMPTY,
      );
    }
    // Walk the shortest list in ref order; the others are membership tests.
    const [driver, ...others] = [...lists].sort(
      (a, b) => a.sorted.length - b.sorted.length,
    );
    const out: FoundRow[] = [];
    const start =
      query.after === undefined ? 0 : firstAfter(driver.sorted, query.after);
    for (
      let i = start;
      i < driver.sorted.length && out.length < query.limit;
      i++
    ) {
      const ref = driver.sorted[i];
      if (!others.every(o => o.set.has(ref))) continue;
      const row = snapshot.rows.get(ref);
      if (accepts(row)) out.push(row);
    }
    return out;
  }
}
