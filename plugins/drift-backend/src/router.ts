import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  driftCurrentQuerySchema,
  driftHistoryQuerySchema,
  driftReportCreatePermission,
  driftReportReadPermission,
  driftRunSubmissionSchema,
  terraformRunParamsSchema,
} from '@internal/plugin-drift-common';
import {
  fabricErrorHandler,
  parseInput,
  TenantScopedAccess,
} from '@internal/plugin-fabric-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DriftConfig } from './config';
import { DriftService } from './service/DriftService';
import { mapTerraformPlan } from './service/terraform';

export interface RouterOptions {
  logger: LoggerService;
  auth: Pick<AuthService, 'isPrincipal'>;
  httpAuth: HttpAuthService;
  access: TenantScopedAccess;
  drift: DriftService;
  config: DriftConfig;
}

const idSchema = z.uuid({ message: 'must be a drift run id (a UUID)' });

/** Who posted a run: the user, or the token's subject for CI. */
function submitterOf(
  auth: Pick<AuthService, 'isPrincipal'>,
  credentials: BackstageCredentials,
): string {
  if (auth.isPrincipal(credentials, 'user')) {
    return credentials.principal.userEntityRef;
  }
  if (auth.isPrincipal(credentials, 'service')) {
    return credentials.principal.subject;
  }
  // The route allows only users and services; anything else is named, not trusted.
  return 'unknown';
}

/** Terraform run parameters: the query string first, `X-Drift-*` headers fill the gaps. */
const TERRAFORM_PARAMS = [
  'source',
  'environment',
  'tenant',
  'entity',
  'observedAt',
  'runUrl',
] as const;

function terraformParams(req: Request): Record<string, unknown> {
  const params: Record<string, unknown> = { ...req.query };
  for (const key of TERRAFORM_PARAMS) {
    const header = req.header(
      `x-drift-${key.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)}`,
    );
    if (params[key] === undefined && header !== undefined) {
      params[key] = header;
    }
  }
  return params;
}

/** Thin HTTP layer: parse, check the permission, call the service. Nothing here changes infrastructure. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { auth, httpAuth, access, drift, config } = options;
  const router = Router();

  const credentials = (req: Request): Promise<BackstageCredentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/runs', express.json({ limit: '10mb' }), async (req, res) => {
    const creds = await credentials(req);
    await access.assertAllowed(creds, driftReportCreatePermission);
    const run = parseInput(driftRunSubmissionSchema, req.body, 'The drift run');
    res
      .status(201)
      .json(
        await drift.ingest(
          { ...run, format: 'json' },
          submitterOf(auth, creds),
        ),
      );
  });

  router.post(
    '/runs/terraform',
    express.json({ limit: '50mb' }),
    async (req, res) => {
      const creds = await credentials(req);
      await access.assertAllowed(creds, driftReportCreatePermission);
      if (!req.is('application/json')) {
        throw new InputError(
          'Post the output of terraform show -json <planfile> with Content-Type: application/json',
        );
      }
      const raw = terraformParams(req);
      // Check the parameters first so a wrong tenant is named before the plan is read.
      parseInput(terraformRunParamsSchema, raw, 'The Terraform run parameters');
      const mapped = mapTerraformPlan(
        req.body,
        config.terraformVerdicts,
        config.terraformMapping,
      );
      const run = parseInput(
        driftRunSubmissionSchema,
        {
          ...raw,
          source: raw.source ?? 'terraform',
          observedAt: raw.observedAt ?? mapped.timestamp,
          findings: mapped.findings,
          providers: mapped.providers,
        },
        'The drift run mapped from the Terraform plan',
      );
      res.status(201).json(
        await drift.ingest(
          {
            ...run,
            format: 'terraform',
            toolVersion: mapped.terraformVersion,
          },
          submitterOf(auth, creds),
        ),
      );
    },
  );

  router.get('/current', async (req, res) => {
    const creds = await credentials(req);
    const query = parseInput(driftCurrentQuerySchema, req.query, 'The query');
    const scope = await access.scope(creds, driftReportReadPermission);
    res.json(await drift.current(query, scope));
  });

  router.get('/history', async (req, res) => {
    const creds = await credentials(req);
    const query = parseInput(driftHistoryQuerySchema, req.query, 'The query');
    const scope = await access.scope(creds, driftReportReadPermission);
    res.json(await drift.history(query, scope));
  });

  router.get('/overview', async (req, res) => {
    const creds = await credentials(req);
    const scope = await access.scope(creds, driftReportReadPermission);
    res.json(await drift.overview(scope));
  });

  router.get('/runs/:id', async (req, res) => {
    const creds = await credentials(req);
    // Another tenant's run looks exactly like a missing one (404).
    const run = await access.findFor(
      creds,
      driftReportReadPermission,
      parseInput(idSchema, req.params.id, 'The run id'),
      id => drift.runs.find(id),
    );
    res.json(await drift.runDetail(run));
  });

  router.use(fabricErrorHandler(options.logger));
  return router;
}
