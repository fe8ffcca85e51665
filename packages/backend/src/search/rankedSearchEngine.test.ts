import { mockServices } from '@backstage/backend-test-utils';
import {
  LunrSearchEngine,
  TestPipeline,
} from '@backstage/plugin-search-backend-node';
import { RankedSearchEngine } from './rankedSearchEngine';
import { SEARCH_TYPE_ORDER } from './rankedSearchModule';

const entity = (name: string, title: string, text: string) => ({
  title,
  text,
  location: `/catalog/default/component/${name}`,
});

const section = (runbook: string, title: string, text: string) => ({
  title,
  text,
  location: `/docs/default/resource/${runbook}/#${title.replace(/\W+/g, '-')}`,
  kind: 'resource',
  namespace: 'default',
  name: runbook,
});

async function engineWith() {
  const lunr = new LunrSearchEngine({ logger: mockServices.logger.mock() });
  const engine = new RankedSearchEngine(lunr, SEARCH_TYPE_ORDER);
  const index = async (type: string, documents: object[]) => {
    const { error } = await TestPipeline.fromIndexer(
      await engine.getIndexer(type),
    )
      .withDocuments(documents as any)
      .execute();
    expect(error).toBeUndefined();
  };
  // Runbook sections that say "DNS plane" over and over outscore the plane in Lunr.
  await index('techdocs', [
    section(
      'dns-runbook',
      'Restart the DNS plane',
      'dns plane dns plane dns plane restart',
    ),
    section(
      'vip-runbook',
      'VIP failover',
      'dns plane VIP moves; dns plane dns plane',
    ),
    section(
      'dns-runbook',
      'DNS plane checks',
      'dns plane dig dns plane health',
    ),
    section('dns-runbook', 'Zones', 'zones of the dns plane'),
  ]);
  await index('software-catalog', [
    entity('dns-edge', 'DNS edge (dnsdist + unbound)', 'dns plane edge pair'),
    entity('dns', 'DNS plane', 'Isolated VLAN for name resolution'),
    entity('web', 'Web plane', 'http ingress'),
  ]);
  return { engine, lunr };
}

describe('RankedSearchEngine over the real Lunr engine', () => {
  it('lists catalog entities before runbook sections, the entity titled as the search first', async () => {
    const { engine, lunr } = await engineWith();
    const plain = await lunr.query({ term: 'DNS plane' });
    // What the portal showed before: the plane below runbook sections.
    expect(plain.results[0].type).toBe('techdocs');

    const ranked = await engine.query({ term: 'DNS plane' });
    expect(ranked.numberOfResults).toBe(plain.numberOfResults);
    expect(ranked.results[0].document.title).toBe('DNS plane');
    expect(ranked.results.map(r => r.type)).toEqual([
      'software-catalog',
      'software-catalog',
      'software-catalog',
      'techdocs',
      'techdocs',
      'techdocs',
      'techdocs',
    ]);
    // One runbook's sections together, where its best section stood.
    const runbooks = ranked.results
      .slice(3)
      .map(r => (r.document as unknown as { name: string }).name);
    expect(runbooks.filter((n, i) => n !== runbooks[i - 1])).toHaveLength(2);
    expect(ranked.results.map(r => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('pages over the ranked list with its own cursors', async () => {
    const { engine } = await engineWith();
    const first = await engine.query({ term: 'DNS plane', pageLimit: 4 });
    expect(first.results).toHaveLength(4);
    expect(first.previousPageCursor).toBeUndefined();
    const second = await engine.query({
      term: 'DNS plane',
      pageLimit: 4,
      pageCursor: first.nextPageCursor,
    });
    expect(second.results.map(r => r.rank)).toEqual([5, 6, 7]);
    expect(second.nextPageCursor).toBeUndefined();
    expect(second.previousPageCursor).toBeDefined();
    const titles = [...first.results, ...second.results].map(
      r => r.document.location,
    );
    expect(new Set(titles).size).toBe(7);
  });

  it('answers a search of one type or of a type not indexed yet', async () => {
    const { engine } = await engineWith();
    const docs = await engine.query({ term: 'DNS plane', types: ['techdocs'] });
    expect(docs.results.every(r => r.type === 'techdocs')).toBe(true);
    expect(docs.results).toHaveLength(4);
    const both = await engine.query({
      term: 'DNS plane',
      types: ['software-catalog', 'no-such-type'],
    });
    expect(both.results[0].document.title).toBe('DNS plane');
    await expect(
      engine.query({ term: 'DNS plane', types: ['no-such-type'] }),
    ).rejects.toThrow(/Missing index/);
  });
});
