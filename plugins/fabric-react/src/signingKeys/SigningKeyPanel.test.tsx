import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { SigningKeyInfo } from '@internal/plugin-fabric-common';
import { ResponseError } from '@backstage/errors';
import { SigningKeyPanel } from './SigningKeyPanel';
import { signingKeysApiRef, type SigningKeysApi } from './SigningKeysClient';

jest.setTimeout(30_000);

/** What the client throws for a backend's error answer: a ResponseError with the backend's body. */
const backendError = (statusCode: number, name: string, message: string) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error: { name, message }, response: { statusCode } }),
      { status: statusCode, headers: { 'Content-Type': 'application/json' } },
    ),
  );

const PUBLIC_KEY =
  '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ0000BYJKwYBBAHaRw8BAQdA\n-----END PGP PUBLIC KEY BLOCK-----';
const SIGNATURE =
  '-----BEGIN PGP SIGNATURE-----\n\niHUEABYKAB0WIQ\n-----END PGP SIGNATURE-----';
const CHALLENGE = {
  id: '3f1f7a4e-1111-4222-8333-444455556666',
  userRef: 'user:default/olivia.operator',
  purpose: 'register' as const,
  text: 'Fabric Portal signing key register: user=user:default/olivia.operator nonce=abc expires=2026-12-20T10:10:00.000Z',
  createdAt: '2026-12-20T10:00:00.000Z',
  expiresAt: '2026-12-20T10:10:00.000Z',
};
const key = (over: Partial<SigningKeyInfo>): SigningKeyInfo => ({
  id: 'k1',
  userRef: CHALLENGE.userRef,
  fingerprint: '0123456789ABCDEF0123456789ABCDEF01234567',
  fingerprints: ['0123456789ABCDEF0123456789ABCDEF01234567'],
  status: 'active',
  createdAt: '2026-11-01T08:00:00.000Z',
  ...over,
});

function fakeApi(
  over: Partial<SigningKeysApi> = {},
): jest.Mocked<SigningKeysApi> {
  return {
    listMine: jest.fn(async () => []),
    createChallenge: jest.fn(async () => CHALLENGE),
    register: jest.fn(async () => key({})),
    revokeMine: jest.fn(async () => []),
    ...over,
  } as jest.Mocked<SigningKeysApi>;
}

function render(api: SigningKeysApi) {
  return renderInTestApp(<SigningKeyPanel />, {
    apis: [
      [signingKeysApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
  });
}

describe('SigningKeyPanel', () => {
  it('gets a challenge, shows the exact command, and registers key and signature', async () => {
    const api = fakeApi();
    render(api);
    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Get challenge' },
        { timeout: 10_000 },
      ),
    );
    expect(
      await screen.findByTestId('signing-key-challenge'),
    ).toHaveTextContent(CHALLENGE.text);
    expect(screen.getByTestId('signing-key-command')).toHaveTextContent(
      `printf '%s' '${CHALLENGE.text}' | gpg --armor --detach-sign --local-user <your key id>`,
    );
    // Client-side check first: nothing is sent without a signature.
    await userEvent.click(screen.getByLabelText('Armored OpenPGP public key'));
    await userEvent.paste(PUBLIC_KEY);
    await userEvent.click(screen.getByRole('button', { name: 'Register key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Signature:');
    expect(api.register).not.toHaveBeenCalled();

    await userEvent.click(
      screen.getByLabelText('Armored signature of the challenge'),
    );
    await userEvent.paste(SIGNATURE);
    await userEvent.click(screen.getByRole('button', { name: 'Register key' }));
    await waitFor(() =>
      expect(api.register).toHaveBeenCalledWith({
        publicKey: PUBLIC_KEY,
        challengeId: CHALLENGE.id,
        signature: SIGNATURE,
      }),
    );
    await waitFor(() => expect(api.listMine).toHaveBeenCalledTimes(2));
  });

  it("shows the backend's refusal as it is", async () => {
    const api = fakeApi({
      register: jest.fn(async () => {
        throw await backendError(
          409,
          'ConflictError',
          'key fingerprint 0123 is registered to user:default/oscar.operator',
        );
      }),
    });
    render(api);
    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Get challenge' },
        { timeout: 10_000 },
      ),
    );
    await userEvent.click(
      await screen.findByLabelText('Armored OpenPGP public key'),
    );
    await userEvent.paste(PUBLIC_KEY);
    await userEvent.click(
      screen.getByLabelText('Armored signature of the challenge'),
    );
    await userEvent.paste(SIGNATURE);
    await userEvent.click(screen.getByRole('button', { name: 'Register key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'registered to user:default/oscar.operator',
    );
  });

  it('shows the active key with Revoke, and a flagged key with what to do', async () => {
    const api = fakeApi({
      listMine: jest.fn(async () => [
        key({}),
        key({
          id: 'k0',
          fingerprint: 'FEDCBA9876543210FEDCBA9876543210FEDCBA98',
          status: 'unproven',
          legacySource: 'approvals',
          statusMessage:
            'Imported without proof of possession: register it again here',
        }),
      ]),
    });
    render(api);
    expect(
      await screen.findByText(
        '0123456789ABCDEF0123456789ABCDEF01234567',
        {},
        { timeout: 10_000 },
      ),
    ).toBeDefined();
    expect(screen.getByTestId('signing-key-unproven')).toHaveTextContent(
      'register it again here',
    );
    expect(
      screen.getByText(/imported from the old approvals keys/),
    ).toBeDefined();
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(api.revokeMine).toHaveBeenCalled());
    expect(
      screen.getByRole('button', { name: 'Replace key: get challenge' }),
    ).toBeDefined();
  });
});
