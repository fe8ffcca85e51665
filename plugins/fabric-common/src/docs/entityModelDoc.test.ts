import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CONSUMER_PROVIDERS, ZAKON_STATUSES } from '../constants';
import { planeSpecSchema } from '../schemas/plane';
import { tenantSpecSchema } from '../schemas/tenant';
import { zakonRuleSpecSchema } from '../schemas/zakonRule';
import { findCatalogDocument, renderEntityModelDoc } from './entityModelDoc';

const repoRoot = path.resolve(__dirname, '../../../..');
const readRepoFile = (file: string) =>
  fs.readFileSync(path.join(repoRoot, file), 'utf8');

describe('docs/entity-model.md', () => {
  const rendered = renderEntityModelDoc(readRepoFile);

  it('is exactly what the zod schemas render (run yarn docs:entity-model)', () => {
    const committed = readRepoFile('docs/entity-model.md');
    let problem: string | undefined;
    if (committed !== rendered) {
      const want = rendered.split('\n');
      const have = committed.split('\n');
      const line = want.findIndex((text, index) => text !== have[index]);
      problem =
        `docs/entity-model.md differs from the zod schemas in plugins/fabric-common ` +
        `(first at line ${line + 1}: expected ${JSON.stringify(
          want[line],
        )}, found ${JSON.stringify(have[line])}); ` +
        'run yarn docs:entity-model and commit the result';
    }
    expect(problem).toBeUndefined();
  });

  it('lists every spec field of the kinds, with its enum values', () => {
    const fields = (schema: z.ZodType) =>
      Object.keys((schema as unknown as z.ZodObject).shape);
    for (const key of fields(planeSpecSchema)) {
      expect(rendered).toContain(`\`spec.${key}\``);
    }
    for (const key of fields(tenantSpecSchema)) {
      expect(rendered).toContain(`\`spec.${key}\``);
    }
    for (const key of fields(zakonRuleSpecSchema)) {
      expect(rendered).toContain(`\`spec.${key}\``);
    }
    expect(rendered).toContain('`spec.fabric.hosts[].addresses`');
    expect(rendered).toContain('`spec.network.lanVips[].ports[].protocol`');
    expect(rendered).toContain(
      `one of ${CONSUMER_PROVIDERS.map(p => `\`${p}\``).join(', ')}`,
    );
    expect(rendered).toContain(
      `one of ${ZAKON_STATUSES.map(s => `\`${s}\``).join(', ')}`,
    );
    // Constraints that live in refinements reach the page through their descriptions.
    expect(rendered).toContain('whole number from 1 to 4094');
    expect(rendered).toMatch(/gatewayVip is a host address inside cidr/);
  });

  it('is rendered the same way every time', () => {
    expect(renderEntityModelDoc(readRepoFile)).toBe(rendered);
  });

  it('takes examples from the sample catalog, without the file header', () => {
    const text = [
      '# header of the file',
      'apiVersion: v1',
      'kind: Plane',
      'metadata:',
      '  name: other',
      '---',
      '# the dns plane',
      'apiVersion: v1',
      'kind: Plane',
      'metadata:',
      '  name: dns',
    ].join('\n');
    expect(findCatalogDocument(text, 'Plane', 'dns')).toBe(
      'apiVersion: v1\nkind: Plane\nmetadata:\n  name: dns',
    );
    expect(findCatalogDocument(text, 'Plane', 'missing')).toBeUndefined();
    expect(() =>
      renderEntityModelDoc(file =>
        file === 'catalog/planes.yaml' ? '' : readRepoFile(file),
      ),
    ).toThrow('catalog/planes.yaml has no Plane named dns');
  });
});
