import { SignInPage } from '@backstage/core-components';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { z } from 'zod';
import { fabricAuthApi, fabricAuthApiRef } from './fabricAuthApi';

/**
 * The sign-in page: one OpenID Connect provider. Its labels are extension config
 * (`app.extensions: - sign-in-page:app: { config: { title, message } }`), so production can
 * name the organisation's issuer without a rebuild.
 */
export const fabricSignInPage = SignInPageBlueprint.makeWithOverrides({
  configSchema: {
    title: z.string().min(1).default('Fabric ID'),
    message: z.string().min(1).default('Sign in with Fabric ID'),
  },
  factory(originalFactory, { config }) {
    return originalFactory({
      loader: async () => props =>
        (
          <SignInPage
            {...props}
            title="Fabric Portal"
            align="center"
            providers={[
              {
                id: 'fabric-oidc',
                title: config.title,
                message: config.message,
                apiRef: fabricAuthApiRef,
              },
            ]}
          />
        ),
    });
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [fabricAuthApi, fabricSignInPage],
});
