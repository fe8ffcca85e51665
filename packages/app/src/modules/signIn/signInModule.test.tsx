import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fabricAuthApiRef } from './fabricAuthApi';
import { fabricSignInPage } from './signInModule';

const identity = {
  type: 'user' as const,
  userEntityRef: 'user:default/olivia.operator',
  ownershipEntityRefs: ['group:default/platform-operators'],
};

function stubAuthApi() {
  return {
    getBackstageIdentity: jest.fn(async () => ({
      id: 'olivia.operator',
      token: 'a-backstage-token',
      identity,
    })),
    getProfile: jest.fn(async () => ({ displayName: 'Olivia Operator' })),
    getIdToken: jest.fn(),
    signIn: jest.fn(),
    signOut: jest.fn(),
    sessionState$: jest.fn(),
  };
}

async function renderSignInPage(config?: { title?: string; message?: string }) {
  const SignInPage = createExtensionTester(fabricSignInPage, { config }).get(
    SignInPageBlueprint.dataRefs.component,
  );
  const authApi = stubAuthApi();
  const onSignInSuccess = jest.fn();
  await renderInTestApp(<SignInPage onSignInSuccess={onSignInSuccess} />, {
    config: { app: { title: 'Fabric Portal' } },
    apis: [[fabricAuthApiRef, authApi as any]],
  });
  return { authApi, onSignInSuccess };
}

describe('the sign-in page', () => {
  // The page remembers the last provider used and then signs in silently; start clean.
  beforeEach(() => localStorage.clear());

  it('offers Fabric ID by default and signs in through the OIDC auth API', async () => {
    const { authApi, onSignInSuccess } = await renderSignInPage();
    expect(await screen.findByText('Fabric ID')).toBeInTheDocument();
    expect(screen.getByText('Sign in with Fabric ID')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Sign In' }));
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(authApi.getBackstageIdentity).toHaveBeenCalledWith(
      expect.objectContaining({ instantPopup: true }),
    );
    const signedIn = onSignInSuccess.mock.calls[0][0];
    expect((await signedIn.getBackstageIdentity()).userEntityRef).toBe(
      'user:default/olivia.operator',
    );
  });

  it('takes its labels from the extension config', async () => {
    await renderSignInPage({
      title: 'Samakia SSO',
      message: 'Sign in with your Samakia account',
    });
    expect(await screen.findByText('Samakia SSO')).toBeInTheDocument();
    expect(
      screen.getByText('Sign in with your Samakia account'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Fabric ID')).not.toBeInTheDocument();
  });
});
