import {
  SECRET_KEY_WORDS,
  secretWordPattern,
  shortestSecretWords,
} from './secretWords';

describe('the secret-word list', () => {
  it('has every word contain one of the shortest words', () => {
    const shortest = shortestSecretWords();
    expect(shortest).toContain('secret');
    expect(shortest).not.toContain('client_secret');
    for (const word of SECRET_KEY_WORDS) {
      expect(shortest.some(s => word.includes(s))).toBe(true);
    }
  });

  it('lets an underscore stand for a dash or nothing, in any case when asked', () => {
    const strict = new RegExp(`^${secretWordPattern('api_key')}$`);
    expect(['api_key', 'api-key', 'apikey'].every(k => strict.test(k))).toBe(
      true,
    );
    expect(strict.test('API_KEY')).toBe(false);
    expect(strict.test('api.key')).toBe(false);
    const anyCase = new RegExp(
      `^${secretWordPattern('api_key', { anyCase: true })}$`,
    );
    expect(['API_KEY', 'Api-Key', 'apiKEY'].every(k => anyCase.test(k))).toBe(
      true,
    );
  });
});
