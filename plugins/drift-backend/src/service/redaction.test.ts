import { SECRET_KEY_WORDS } from '@internal/plugin-fabric-common';
import { REDACTED, redactSecretKeys } from './redaction';

describe('redactSecretKeys', () => {
  it('hides the value of a key named with any word of the one secret-word list, at any depth', () => {
    for (const word of SECRET_KEY_WORDS) {
      const key = `db_${word.toUpperCase().replace(/_/g, '-')}`;
      expect(
        redactSecretKeys({ outer: [{ [key]: 'hunter2', port: 5432 }] }),
      ).toEqual({ outer: [{ [key]: REDACTED, port: 5432 }] });
    }
  });

  it('keeps keys that only contain a secret word inside another word, and empty values', () => {
    const input = {
      tokens_used: 12,
      passwordless: true,
      secret: '',
      token: null,
    };
    expect(redactSecretKeys(input)).toEqual(input);
  });
});
