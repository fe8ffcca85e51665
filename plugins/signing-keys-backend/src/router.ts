import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  canonicalEntityRefSchema,
  signingKeyAdministerPermission,
  signingKeyChallengeRequestSchema,
  signingKeyManagePermission,
  signingKeyRegistrationSchema,
  signingKeyRevocationSchema,
} from '@internal/plugin-fabric-common';
import {
  fabricErrorHandler,
  parseInput,
  SigningKeysService,
} from '@internal/plugin-fabric-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  registry: SigningKeysService;
}

const userRefSchema = canonicalEntityRefSchema({
  allowedKinds: ['User'],
  example: 'user:default/oscar.operator',
});

const auditQuerySchema = z.strictObject({
  user: userRefSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Thin HTTP layer of the registry: parse, check the permission, call the service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, registry } = options;
  const router = Router();
  // Keys and signatures are a few KB; anything bigger is refused before it is parsed.
  router.use(express.json({ limit: '256kb' }));

  async function allowed(
    creds: BackstageCredentials,
    permission: BasicPermission,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials: creds,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** The signed-in user acting on their own key (service principals have no key). */
  async function self(req: Request): Promise<string> {
    const creds = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (!(await allowed(creds, signingKeyManagePermission))) {
      throw new NotAllowedError(
        'You may not manage signing keys; only approvers and operators sign approvals and evidence',
      );
    }
    const principal = creds.principal as {
      type?: string;
      userEntityRef?: string;
    };
    if (principal.type !== 'user' || !principal.userEntityRef) {
      throw new InputError('Only signed-in users have signing keys');
    }
    return principal.userEntityRef.toLocaleLowerCase('en-US');
  }

  async function administrator(req: Request) {
    const creds = await httpAuth.credentials(req, { allow: ['user'] });
    if (!(await allowed(creds, signingKeyAdministerPermission))) {
      throw new NotAllowedError(
        "Only administrators revoke another user's key or read the whole registry audit",
      );
    }
    return (
      creds.principal as { userEntityRef: string }
    ).userEntityRef.toLocaleLowerCase('en-US');
  }

  router.post('/challenges', async (req, res) => {
    const userRef = await self(req);
    const body = parseInput(
      signingKeyChallengeRequestSchema,
      req.body ?? {},
      'The challenge request',
    );
    res.status(201).json(await registry.createChallenge(userRef, body.purpose));
  });

  router.get('/keys/me', async (req, res) => {
    res.json({ items: await registry.listFor(await self(req)) });
  });

  router.put('/keys/me', async (req, res) => {
    const userRef = await self(req);
    const body = parseInput(
      signingKeyRegistrationSchema,
      req.body ?? {},
      'The key registration',
    );
    res.json(await registry.register(userRef, body));
  });

  router.delete('/keys/me', async (req, res) => {
    const userRef = await self(req);
    const body = parseInput(
      signingKeyRevocationSchema,
      req.body ?? {},
      'The revocation',
    );
    res.json({ items: await registry.revoke(userRef, userRef, body.reason) });
  });

  router.delete('/users/:userRef/keys', async (req, res) => {
    const actor = await administrator(req);
    const userRef = parseInput(userRefSchema, req.params.userRef, 'The user');
    const body = parseInput(
      signingKeyRevocationSchema,
      req.body ?? {},
      'The revocation',
    );
    res.json({ items: await registry.revoke(actor, userRef, body.reason) });
  });

  router.get('/audit', async (req, res) => {
    const query = parseInput(auditQuerySchema, req.query, 'The audit query');
    const own = await self(req);
    if (query.user === undefined || query.user !== own) {
      // Somebody else's trail, or everybody's: administrators only.
      await administrator(req);
    }
    res.json({
      items: await registry.audit({ userRef: query.user, limit: query.limit }),
    });
  });

  router.use(fabricErrorHandler(options.logger));
  return router;
}
