import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CI_TOKEN } from './tokens';

describe('CI_TOKEN', () => {
  it('is the static token app-config.yaml grants to CI', () => {
    const config = parse(
      fs.readFileSync(
        // eslint-disable-next-line no-restricted-syntax
        path.resolve(__dirname, '../../../app-config.yaml'),
        'utf8',
      ),
    );
    const tokens = (config.backend.auth.externalAccess as any[])
      .filter(a => a.type === 'static')
      .map(a => a.options.token);
    expect(tokens).toContain(CI_TOKEN);
  });
});
