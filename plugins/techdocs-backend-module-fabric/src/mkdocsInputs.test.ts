import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdocsInputs } from './mkdocsInputs';

describe('mkdocsInputs', () => {
  let root: string;
  let site: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mkdocs-inputs-'));
    site = path.join(root, 'site');
    fs.mkdirSync(path.join(site, 'docs'), { recursive: true });
    fs.mkdirSync(path.join(root, 'elsewhere'));
    fs.writeFileSync(path.join(root, 'elsewhere/secret.md'), 'not docs\n');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const withConfig = (config: string) =>
    fs.writeFileSync(path.join(site, 'mkdocs.yml'), config);

  it('reads the config, docs_dir and custom_dir inside the site folder', () => {
    fs.mkdirSync(path.join(site, 'theme'));
    withConfig('site_name: x\ntheme:\n  custom_dir: theme\n');
    expect(mkdocsInputs(site)).toEqual(['mkdocs.yml', 'docs', 'theme']);
  });

  it('leaves out a docs_dir that climbs out with ..', () => {
    withConfig('site_name: x\ndocs_dir: ../elsewhere\n');
    expect(mkdocsInputs(site)).toEqual(['mkdocs.yml']);
  });

  it('leaves out a docs_dir that is a symlink to a folder outside the site', () => {
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(site, 'linked'));
    withConfig('site_name: x\ndocs_dir: linked\n');
    expect(mkdocsInputs(site)).toEqual(['mkdocs.yml']);
  });

  it('leaves out an absolute docs_dir', () => {
    withConfig(`site_name: x\ndocs_dir: ${path.join(root, 'elsewhere')}\n`);
    expect(mkdocsInputs(site)).toEqual(['mkdocs.yml']);
  });
});
