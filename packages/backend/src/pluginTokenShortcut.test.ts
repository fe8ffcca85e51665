import type { PluginTokenHandler } from '@backstage/backend-defaults/auth';
import { skipTokensThatCannotBeJwts } from './pluginTokenShortcut';

function recordingHandler() {
  const verified: string[] = [];
  const handler: PluginTokenHandler = {
    verifyToken: async token => {
      verified.push(token);
      return { subject: 'plugin:catalog' };
    },
    issueToken: async () => ({ token: 'issued.by.default' }),
  };
  return { handler, verified };
}

describe('skipTokensThatCannotBeJwts', () => {
  it('answers "not a plugin token" for a token with no dot, without decoding it', async () => {
    const { handler, verified } = recordingHandler();
    const decorated = skipTokensThatCannotBeJwts(handler);
    for (const token of ['local-dev-ci-token-not-for-production', '', ' ']) {
      await expect(decorated.verifyToken(token)).resolves.toBeUndefined();
    }
    expect(verified).toEqual([]);
  });

  it('hands every token with a dot to the default handler, forged ones included', async () => {
    const { handler, verified } = recordingHandler();
    const decorated = skipTokensThatCannotBeJwts(handler);
    const tokens = ['a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'no-jwt.'];
    for (const token of tokens) {
      await expect(decorated.verifyToken(token)).resolves.toEqual({
        subject: 'plugin:catalog',
      });
    }
    expect(verified).toEqual(tokens);
  });

  it('leaves a value that is not a string to the default handler', async () => {
    const { handler, verified } = recordingHandler();
    const decorated = skipTokensThatCannotBeJwts(handler);
    for (const value of [42, true, {}, null]) {
      await decorated.verifyToken(value as unknown as string);
    }
    expect(verified).toEqual([42, true, {}, null]);
  });

  it('issues tokens through the default handler', async () => {
    const { handler } = recordingHandler();
    await expect(
      skipTokensThatCannotBeJwts(handler).issueToken({
        pluginId: 'approvals',
        targetPluginId: 'catalog',
      }),
    ).resolves.toEqual({ token: 'issued.by.default' });
  });
});
