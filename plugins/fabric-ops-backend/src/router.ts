import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  computeFailureImpact,
  listFailureDomains,
} from '@internal/plugin-fabric-common';
import { fabricErrorHandler, parseInput } from '@internal/plugin-fabric-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { HealthService } from './service/HealthService';
import { MissionControlLeases } from './service/MissionControlLeases';
import { OperationsCatalog } from './service/OperationsCatalog';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  catalog: OperationsCatalog;
  health: HealthService;
  leases: MissionControlLeases;
}

const healthQuerySchema = z.strictObject({
  entity: z
    .string({
      error: 'is missing; name a plane or service, e.g. plane:default/minio',
    })
    .regex(/^(plane|component):[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/i, {
      error:
        'is not a plane or service ref; write it in full, e.g. plane:default/minio or component:default/minio',
    })
    .transform(v => v.toLocaleLowerCase('en-US')),
});

const impactQuerySchema = z.strictObject({
  failureDomain: z
    .string({ error: 'is missing; name a failure domain, e.g. proxmox1' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
      error:
        'is not a failure domain name; use letters, digits, ".", "_" or "-" (at most 63), e.g. proxmox1',
    }),
});

/** Thin HTTP layer: who is asking, parse, compute from what the caller may read. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, health, leases, logger } = options;
  const router = Router();

  // Users and CI tokens; anonymous callers get 401 from the auth layer.
  const credentials = (req: Request): Promise<BackstageCredentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/failure-domains', async (req, res) => {
    const entities = await catalog.operationalEntities(await credentials(req));
    res.json({ items: listFailureDomains(entities) });
  });

  router.get('/impact', async (req, res) => {
    const caller = await credentials(req);
    const { failureDomain } = parseInput(
      impactQuerySchema,
      req.query,
      'The impact query',
    );
    const entities = await catalog.operationalEntities(caller);
    const known = listFailureDomains(entities);
    if (!known.includes(failureDomain)) {
      throw new InputError(
        `The impact query is invalid:\n- failureDomain: '${failureDomain}' is not a failure domain of the catalog; use one of ${
          known.join(', ') || '(none)'
        }`,
      );
    }
    res.json(computeFailureImpact(entities, failureDomain));
  });

  // The health card of a plane or service; tenants only for what they consume.
  router.get('/health', async (req, res) => {
    const caller = await credentials(req);
    const { entity } = parseInput(
      healthQuerySchema,
      req.query,
      'The health query',
    );
    res.json(await health.health(caller, entity));
  });

  // Mission Control claim leases, read-only; operators and CI only.
  router.get('/mission-control/leases', async (req, res) => {
    await health.assertPlatform(
      await credentials(req),
      'the Mission Control claim leases',
    );
    res.json(await leases.read());
  });

  router.use(fabricErrorHandler(logger));
  return router;
}
