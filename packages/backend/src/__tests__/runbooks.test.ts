import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import yaml from 'yaml';

// Every runbook under techdocs/ must build with the machine's mkdocs in strict mode, without a
// single warning, and carry the sections operators rely on when something is on fire.

const techdocsDir = path.resolve(__dirname, '../../../../techdocs');
const runbooks = fs
  .readdirSync(techdocsDir, { withFileTypes: true })
  .filter(d => d.isDirectory())
  .map(d => d.name)
  .sort();
const requiredSections = [
  'Purpose',
  'When to use',
  'Preconditions',
  'Steps',
  'Verification',
  'Rollback',
  'Evidence produced',
];

describe('runbooks', () => {
  it('has at least twelve runbooks, each with a catalog entity', () => {
    expect(runbooks.length).toBeGreaterThanOrEqual(12);
    for (const id of runbooks) {
      const entity = yaml.parse(
        fs.readFileSync(
          path.join(techdocsDir, id, 'catalog-info.yaml'),
          'utf8',
        ),
      );
      expect(entity.metadata.name).toBe(id);
      expect(entity.spec.type).toBe('runbook');
      expect(entity.metadata.annotations['backstage.io/techdocs-ref']).toBe(
        'dir:.',
      );
      expect(entity.spec.dependencyOf.length).toBeGreaterThan(0);
    }
  });

  it.each(runbooks)('%s builds with mkdocs --strict and no warnings', id => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `runbook-${id}-`));
    try {
      const result = spawnSync(
        'mkdocs',
        ['build', '--strict', '--site-dir', out],
        { cwd: path.join(techdocsDir, id), encoding: 'utf8' },
      );
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.error).toBeUndefined();
      expect(output).not.toMatch(/WARNING/);
      expect(result.status).toBe(0);
      expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it.each(runbooks)('%s has every required section', id => {
    const text = fs.readFileSync(
      path.join(techdocsDir, id, 'docs/index.md'),
      'utf8',
    );
    const headings = [...text.matchAll(/^## (.+)$/gm)].map(m => m[1].trim());
    for (const section of requiredSections) {
      expect(headings).toContain(section);
    }
    expect(text).toMatch(/```/);
  });
});
