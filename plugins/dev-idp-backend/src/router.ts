import express from 'express';
import Router from 'express-promise-router';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { z } from 'zod';
import type { DevIdp } from './service/createDevIdp';
import { LoginThrottle } from './service/LoginThrottle';
import { renderErrorPage, renderLoginPage } from './service/pages';

export interface RouterOptions {
  devIdp: DevIdp;
  logger: LoggerService;
  /** Limits password guessing; one with the default limits and the real clock when absent. */
  throttle?: LoginThrottle;
}

const loginForm = z.object({
  username: z
    .string('Enter your username.')
    .trim()
    .min(1, 'Enter your username.')
    .max(200, 'The username is too long (at most 200 characters).'),
  password: z
    .string('Enter your password.')
    .min(1, 'Enter your password.')
    .max(1000, 'The password is too long (at most 1000 characters).'),
});

const prefill = z
  .string()
  .max(200)
  .regex(/^[a-z0-9._-]*$/)
  .optional()
  .catch(undefined);

const EXPIRED =
  'This sign-in attempt has expired or was started in another browser.';

/**
 * The login interaction (our own pages, with password checks) in front of the OpenID Connect
 * endpoints that oidc-provider serves itself (discovery, authorize, token, userinfo, jwks, ...).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { devIdp, logger } = options;
  const throttle = options.throttle ?? new LoginThrottle();
  const { provider, mountPath } = devIdp;
  const router = Router();

  type Interaction = Awaited<ReturnType<typeof provider.interactionDetails>>;

  /** The interaction of this browser (its cookie) if it is the one in the URL; else answers 400. */
  async function loadInteraction(
    req: express.Request,
    res: express.Response,
  ): Promise<Interaction | undefined> {
    let interaction: Interaction | undefined;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch (error) {
      if ((error as Error).name !== 'SessionNotFound') throw error;
    }
    res.set('Cache-Control', 'no-store');
    if (!interaction || interaction.uid !== req.params.uid) {
      res
        .status(400)
        .type('html')
        .send(renderErrorPage('Sign-in expired', EXPIRED));
      return undefined;
    }
    return interaction;
  }

  function sendLogin(
    res: express.Response,
    uid: string,
    extra: { username?: string; error?: string } = {},
  ) {
    res.type('html').send(
      renderLoginPage({
        action: `${mountPath}/interaction/${uid}/login`,
        self: `${mountPath}/interaction/${uid}`,
        users: devIdp.users,
        ...extra,
      }),
    );
  }

  router.get('/interaction/:uid', async (req, res) => {
    const interaction = await loadInteraction(req, res);
    if (!interaction) return;
    const { prompt } = interaction;

    if (prompt.name === 'login') {
      sendLogin(res, interaction.uid, {
        username: prefill.parse(req.query.username),
      });
      return;
    }

    if (prompt.name === 'consent') {
      // The only client is the portal itself (first party): grant what it asks, no consent screen.
      const accountId = interaction.session?.accountId;
      if (!accountId) {
        res
          .status(400)
          .type('html')
          .send(renderErrorPage('Sign-in expired', EXPIRED));
        return;
      }
      const grant = interaction.grantId
        ? await provider.Grant.find(interaction.grantId)
        : new provider.Grant({
            accountId,
            clientId: String(interaction.params.client_id),
          });
      if (!grant) {
        res
          .status(400)
          .type('html')
          .send(renderErrorPage('Sign-in expired', EXPIRED));
        return;
      }
      const details = prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (details.missingOIDCScope) {
        grant.addOIDCScope(details.missingOIDCScope.join(' '));
      }
      if (details.missingOIDCClaims) {
        grant.addOIDCClaims(details.missingOIDCClaims);
      }
      for (const [resource, scopes] of Object.entries(
        details.missingResourceScopes ?? {},
      )) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }

    res
      .status(400)
      .type('html')
      .send(
        renderErrorPage(
          'Unsupported request',
          `The development identity provider cannot handle the "${prompt.name}" step.`,
        ),
      );
  });

  router.post(
    '/interaction/:uid/login',
    express.urlencoded({ extended: false, limit: '10kb' }),
    async (req, res) => {
      const interaction = await loadInteraction(req, res);
      if (!interaction) return;
      if (interaction.prompt.name !== 'login') {
        res
          .status(400)
          .type('html')
          .send(
            renderErrorPage(
              'Already signed in',
              'This sign-in step is already done.',
            ),
          );
        return;
      }

      const form = loginForm.safeParse(req.body ?? {});
      if (!form.success) {
        res.status(400);
        sendLogin(res, interaction.uid, {
          username:
            typeof req.body?.username === 'string'
              ? req.body.username
              : undefined,
          error: form.error.issues.map(i => i.message).join(' '),
        });
        return;
      }

      // The socket's address: the development issuer is reached directly, not through a proxy.
      const client = req.socket.remoteAddress ?? 'unknown';
      const verdict = throttle.check(form.data.username, client);
      if (!verdict.allowed) {
        const seconds = Math.ceil(verdict.retryAfterMs / 1000);
        logger.warn(
          `dev IdP: sign-in for "${form.data.username}" refused, too many failures (${verdict.scope})`,
        );
        res.status(429).set('Retry-After', String(seconds));
        sendLogin(res, interaction.uid, {
          username: form.data.username,
          error: `Too many failed sign-in attempts. Wait ${seconds} seconds, then try again.`,
        });
        return;
      }

      const user = devIdp.authenticate(form.data.username, form.data.password);
      if (!user) {
        throttle.recordFailure(form.data.username, client);
        logger.info(`dev IdP: failed sign-in for "${form.data.username}"`);
        res.status(401);
        sendLogin(res, interaction.uid, {
          username: form.data.username,
          error: 'Wrong username or password.',
        });
        return;
      }

      throttle.recordSuccess(form.data.username, client);
      logger.info(`dev IdP: ${user.username} signed in`);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.username } },
        { mergeWithLastSubmission: false },
      );
    },
  );

  // Everything else is the OpenID Connect provider itself.
  router.use(provider.callback());

  return router;
}
