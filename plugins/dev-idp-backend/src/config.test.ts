import { ConfigReader } from '@backstage/config';
import { readDevIdpConfig } from './config';

const valid = {
  client: { id: 'portal', secret: 'a-client-secret-of-some-length' },
  users: [
    {
      username: 'olivia.operator',
      password: 'pw',
      name: 'Olivia Operator',
      email: 'olivia.operator@samakia.example',
    },
  ],
};

function read(devIdp: unknown) {
  return readDevIdpConfig(new ConfigReader({ devIdp } as any));
}

describe('readDevIdpConfig', () => {
  it('reads a valid section', () => {
    expect(read(valid)).toEqual(valid);
  });

  it('names the missing section', () => {
    expect(() => readDevIdpConfig(new ConfigReader({}))).toThrow(
      /devIdp is missing.*devIdp\.client and devIdp\.users/,
    );
  });

  it('names each bad field and the fix', () => {
    const error = (() => {
      try {
        read({
          client: { id: 'portal', secret: 'short' },
          users: [
            { ...valid.users[0], username: 'Olivia Operator', email: 'nope' },
          ],
        });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected the config to be refused');
    })();
    expect(error.message).toMatch(/^Invalid configuration devIdp:\n- /);
    expect(error.message).toContain(
      'devIdp.client.secret: must be at least 16 characters',
    );
    expect(error.message).toContain(
      'devIdp.users[0].username: use lower-case letters',
    );
    expect(error.message).toContain('devIdp.users[0].email');
  });

  it('refuses duplicate usernames and an empty user list', () => {
    expect(() =>
      read({ ...valid, users: [...valid.users, ...valid.users] }),
    ).toThrow(/usernames must be unique/);
    expect(() => read({ ...valid, users: [] })).toThrow(
      /devIdp\.users: list at least one user/,
    );
  });
});
