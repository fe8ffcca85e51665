import type { SearchResult } from '@backstage/plugin-search-common';
import { groupResults, resultCount } from './groupResults';

const entity = (title: string): SearchResult => ({
  type: 'software-catalog',
  document: { title, text: '', location: `/catalog/default/plane/${title}` },
});

const section = (runbook: string, title: string): SearchResult => ({
  type: 'techdocs',
  document: {
    title,
    text: '',
    location: `/docs/default/resource/${runbook}/#${title}`,
    kind: 'resource',
    namespace: 'default',
    name: runbook,
    entityTitle: `Runbook ${runbook}`,
  } as SearchResult['document'],
});

describe('search results grouped for the page', () => {
  it('keeps entities as rows and puts each runbook section under its runbook', () => {
    const rows = groupResults([
      entity('DNS plane'),
      section('dns', 'Restart'),
      section('dns', 'Checks'),
      section('vip', 'Failover'),
      section('dns', 'Zones'),
    ]);
    expect(
      rows.map(r =>
        r.kind === 'single'
          ? r.result.document.title
          : [r.title, r.location, r.sections.map(s => s.document.title)],
      ),
    ).toEqual([
      'DNS plane',
      [
        'Runbook dns',
        '/docs/default/resource/dns',
        ['Restart', 'Checks', 'Zones'],
      ],
      ['Runbook vip', '/docs/default/resource/vip', ['Failover']],
    ]);
  });

  it('says how many results there are, or how many this page shows', () => {
    expect(resultCount(25, 10)).toBe('25 results');
    expect(resultCount(1, 1)).toBe('1 result');
    expect(resultCount(undefined, 7)).toBe('7 results on this page');
  });
});
