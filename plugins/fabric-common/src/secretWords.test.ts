import {
  SECRET_KEY_WORDS,
  secretWordPattern,
  secretWordsPattern,
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

describe('secretWordsPattern', () => {
  it('finds every secret word, in any case when asked, and nothing else', () => {
    const strict = new RegExp(`^(?:${secretWordsPattern()})$`);
    const anyCase = new RegExp(secretWordsPattern({ anyCase: true }));
    for (const word of shortestSecretWords()) {
      expect(strict.test(word)).toBe(true);
    }
    for (const word of SECRET_KEY_WORDS) {
      expect(anyCase.test(`x_${word.toUpperCase()}=1`)).toBe(true);
    }
    expect(strict.test('pass')).toBe(false);
    expect(anyCase.test('the build passed in 3 seconds')).toBe(false);
    expect(secretWordsPattern()).toMatch(/^\(\?:p\(\?:/);
  });
});
