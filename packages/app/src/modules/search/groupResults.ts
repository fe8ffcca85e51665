import type { SearchResult } from '@backstage/plugin-search-common';

/** One row of the results list: an entity (or other result), or a runbook with its sections. */
export type ResultRow =
  | { kind: 'single'; result: SearchResult }
  | {
      kind: 'document';
      key: string;
      title: string;
      location: string;
      sections: SearchResult[];
    };

function documentKey(result: SearchResult): string | undefined {
  if (result.type !== 'techdocs') return undefined;
  const doc = result.document as unknown as Record<string, string | undefined>;
  if (!doc.name) return undefined;
  return `${doc.namespace ?? 'default'}/${doc.kind ?? ''}/${
    doc.name
  }`.toLocaleLowerCase('en-US');
}

/**
 * Puts a runbook's sections under the runbook, in the order the backend ranked them (it keeps
 * one document's sections together; a document seen again further down joins its group).
 */
export function groupResults(results: SearchResult[]): ResultRow[] {
  const rows: ResultRow[] = [];
  const documents = new Map<string, Extract<ResultRow, { kind: 'document' }>>();
  for (const result of results) {
    const key = documentKey(result);
    if (!key) {
      rows.push({ kind: 'single', result });
      continue;
    }
    const known = documents.get(key);
    if (known) {
      known.sections.push(result);
      continue;
    }
    const doc = result.document as unknown as Record<
      string,
      string | undefined
    >;
    const row = {
      kind: 'document' as const,
      key,
      title: doc.entityTitle ?? doc.name ?? key,
      location: `/docs/${key}`,
      sections: [result],
    };
    documents.set(key, row);
    rows.push(row);
  }
  return rows;
}

/** "25 results", "1 result", or what this page shows when the total is not known. */
export function resultCount(total: number | undefined, onPage: number): string {
  if (total === undefined) {
    return `${onPage} result${onPage === 1 ? '' : 's'} on this page`;
  }
  return `${total} result${total === 1 ? '' : 's'}`;
}
