import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { ApprovalsApiError } from '../api/ApprovalsClient';
import { fakeApprovalsApi, OPERATOR } from '../__testUtils__/fakeApprovalsApi';
import { AuditVerifyPanel, SigningKeyPanel } from './SigningKeyPanel';

jest.setTimeout(30_000);

const PUBLIC_KEY =
  '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ0000BYJKwYBBAHaRw8BAQdA\n-----END PGP PUBLIC KEY BLOCK-----';

function renderPanel(
  element: JSX.Element,
  api: ReturnType<typeof fakeApprovalsApi>,
) {
  return renderInTestApp(element, {
    apis: [
      [approvalsApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
  });
}

describe('SigningKeyPanel', () => {
  it('registers a key when none is registered, checking the armor first', async () => {
    const api = fakeApprovalsApi();
    renderPanel(<SigningKeyPanel />, api);

    expect(
      await screen.findByText(/No key registered/, {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    const field = screen.getByLabelText('Armored OpenPGP public key');
    await userEvent.click(field);
    await userEvent.paste('ABCDEF');
    await userEvent.click(screen.getByRole('button', { name: 'Register key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Public key: must be an armored OpenPGP public key',
    );
    expect(api.putMySigningKey).not.toHaveBeenCalled();

    await userEvent.clear(field);
    await userEvent.paste(PUBLIC_KEY);
    await userEvent.click(screen.getByRole('button', { name: 'Register key' }));
    await waitFor(() =>
      expect(api.putMySigningKey).toHaveBeenCalledWith(PUBLIC_KEY),
    );
    // The panel asks again and now shows the registered key.
    await waitFor(() => expect(api.getMySigningKey).toHaveBeenCalledTimes(2));
  });

  it('shows the registered fingerprint and the backend refusal of a replacement', async () => {
    const api = fakeApprovalsApi({
      getMySigningKey: jest.fn(async () => ({
        userRef: OPERATOR,
        fingerprint: '0123456789ABCDEF0123456789ABCDEF01234567',
        createdAt: '2026-11-01T08:00:00.000Z',
        updatedAt: '2026-11-01T08:00:00.000Z',
      })),
      putMySigningKey: jest.fn(async () => {
        throw new ApprovalsApiError(
          400,
          'InputError',
          'publicKey: the key has no signing subkey; export a key that can sign',
        );
      }),
    });
    renderPanel(<SigningKeyPanel />, api);

    expect(
      await screen.findByText(
        '0123456789ABCDEF0123456789ABCDEF01234567',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/registered 2026-11-01 08:00 UTC/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Replace key' }));
    await userEvent.click(screen.getByLabelText('Armored OpenPGP public key'));
    await userEvent.paste(PUBLIC_KEY);
    await userEvent.click(screen.getByRole('button', { name: 'Replace key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'publicKey: the key has no signing subkey; export a key that can sign',
    );
  });
});

describe('AuditVerifyPanel', () => {
  it('reports where the chain breaks', async () => {
    const api = fakeApprovalsApi({
      verifyAudit: jest.fn(async () => ({
        ok: false,
        checked: 17,
        firstBroken: { seq: 12, id: 'audit-12', reason: 'hash does not match' },
      })),
    });
    renderPanel(<AuditVerifyPanel />, api);
    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Verify audit chain' },
        { timeout: 10_000 },
      ),
    );
    expect(
      await screen.findByText(
        'Broken at record 12 (audit-12): hash does not match (17 checked).',
      ),
    ).toBeInTheDocument();
  });
});
