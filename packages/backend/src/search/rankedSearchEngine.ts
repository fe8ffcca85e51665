import { MissingIndexError } from '@backstage/plugin-search-backend-node';
import type {
  IndexableResult,
  IndexableResultSet,
  QueryRequestOptions,
  QueryTranslator,
  SearchEngine,
  SearchQuery,
} from '@backstage/plugin-search-common';

/** Results of one type read from the engine per query; more of a type are not reached. */
const MAX_PER_TYPE = 1000;
const DEFAULT_PAGE = 25;

const words = (text: string) =>
  text
    .toLocaleLowerCase('en-US')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** 0: the title is the search term; 1: the title holds every word of it; 2: the rest. */
function titleTier(result: IndexableResult, term: string): number {
  const wanted = words(term);
  if (wanted.length === 0) return 2;
  const title = words(String(result.document.title ?? ''));
  if (title.join(' ') === wanted.join(' ')) return 0;
  return wanted.every(w => title.includes(w)) ? 1 : 2;
}

/** The document a result belongs to: a runbook's sections share their entity. */
function documentOf(result: IndexableResult): string {
  const doc = result.document as unknown as Record<string, unknown>;
  if (result.type === 'techdocs' && doc.name) {
    return `${doc.namespace}/${doc.kind}/${doc.name}`.toLocaleLowerCase(
      'en-US',
    );
  }
  return result.document.location;
}

/**
 * Orders one type's results: exact and whole-word title matches first (the engine's order
 * otherwise), then the sections of one document kept together where its best section stood.
 */
export function orderWithinType(
  results: IndexableResult[],
  term: string,
): IndexableResult[] {
  const tiered = results
    .map((result, index) => ({ result, index, tier: titleTier(result, term) }))
    .sort((a, b) => a.tier - b.tier || a.index - b.index)
    .map(r => r.result);
  const groups = new Map<string, IndexableResult[]>();
  for (const result of tiered) {
    const key = documentOf(result);
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].flat();
}

function pageOf(cursor: string | undefined): number {
  if (!cursor) return 0;
  const page = Number(Buffer.from(cursor, 'base64').toString('utf-8'));
  return Number.isInteger(page) && page >= 0 ? page : 0;
}

const cursorOf = (page: number) =>
  Buffer.from(String(page), 'utf-8').toString('base64');

/**
 * Wraps the search engine so that a search over several types lists them in `typeOrder`
 * (catalog entities before runbook sections), a title that is the term first within a type,
 * and a document's sections together (a search of one type too).
 */
export class RankedSearchEngine implements SearchEngine {
  private readonly indexed = new Set<string>();

  constructor(
    private readonly engine: SearchEngine,
    private readonly typeOrder: string[],
  ) {}

  setTranslator(translator: QueryTranslator): void {
    this.engine.setTranslator(translator);
  }

  async getIndexer(type: string) {
    this.indexed.add(type);
    return this.engine.getIndexer(type);
  }

  private typesOf(query: SearchQuery): string[] {
    const asked = query.types?.length ? query.types : [...this.indexed];
    const rank = (t: string) => {
      const i = this.typeOrder.indexOf(t);
      return i < 0 ? this.typeOrder.length : i;
    };
    return [...asked].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }

  async query(
    query: SearchQuery,
    options?: QueryRequestOptions,
  ): Promise<IndexableResultSet> {
    const types = this.typesOf(query);
    if (types.length === 0) return this.engine.query(query, options);
    const all: IndexableResult[] = [];
    let missing: unknown;
    for (const type of types) {
      try {
        const { results } = await this.engine.query(
          {
            ...query,
            types: [type],
            pageCursor: undefined,
            pageLimit: MAX_PER_TYPE,
          },
          options,
        );
        all.push(...orderWithinType(results, query.term));
      } catch (error) {
        // A type not indexed yet has no results; all of them missing is the engine's answer.
        if (!(error instanceof MissingIndexError)) throw error;
        missing = error;
      }
    }
    if (missing && all.length === 0 && query.types?.length) throw missing;
    const size = query.pageLimit || DEFAULT_PAGE;
    const page = pageOf(query.pageCursor);
    const offset = page * size;
    return {
      results: all
        .slice(offset, offset + size)
        .map((r, i) => ({ ...r, rank: offset + i + 1 })),
      numberOfResults: all.length,
      nextPageCursor:
        all.length > offset + size ? cursorOf(page + 1) : undefined,
      previousPageCursor: page > 0 ? cursorOf(page - 1) : undefined,
    };
  }
}
