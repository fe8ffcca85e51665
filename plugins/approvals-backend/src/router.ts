import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, serializeError } from '@backstage/errors';
import {
  BasicPermission,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import {
  applyRequestSchema,
  approvalsAuditReadPermission,
  approvalsGateReadPermission,
  approvalsProposalApplyPermission,
  approvalsProposalApprovePermission,
  approvalsProposalClaimPermission,
  approvalsProposalReadPermission,
  approvalsProposalRejectPermission,
  approvalsProposalSubmitPermission,
  approvalsProposalWithdrawPermission,
  approveRequestSchema,
  proposalListQuerySchema,
  proposalSubmissionSchema,
  rejectRequestSchema,
  withdrawRequestSchema,
} from '@internal/plugin-approvals-common';
import {
  formatProblems,
  problemsFromZodError,
} from '@internal/plugin-fabric-common';
import express, { ErrorRequestHandler, Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { Actor, Clock, systemClock } from './service/actors';
import { GateService } from './service/GateService';
import { ProposalService } from './service/ProposalService';
import { RoleResolver } from './service/roles';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  roles: RoleResolver;
  proposals: ProposalService;
  gate: GateService;
  clock?: Clock;
}

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}:\n${formatProblems(problemsFromZodError(result.error))}`,
    );
  }
  return result.data;
}

const idSchema = z.uuid();

const STATUS: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
};

/** Maps @backstage/errors types to status codes; anything else is a 500. */
const errorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const statusCode = STATUS[error?.name] ?? 500;
  const body = serializeError(
    statusCode === 500 ? new Error('Internal error') : error,
  );
  res.status(statusCode).json({ error: body, response: { statusCode } });
};

/** Thin HTTP layer: parse, check the permission, call the service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, roles, proposals, gate } = options;
  const clock = options.clock ?? systemClock;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  async function authorize(
    req: Request,
    permission: BasicPermission,
  ): Promise<Actor> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return roles.resolve(credentials);
  }

  const id = (req: Request) => parse(idSchema, req.params.id, 'proposal id');

  router.get('/proposals', async (req, res) => {
    await authorize(req, approvalsProposalReadPermission);
    const query = parse(proposalListQuerySchema, req.query, 'query');
    res.json({ items: await proposals.list(query) });
  });

  router.post('/proposals', async (req, res) => {
    const actor = await authorize(req, approvalsProposalSubmitPermission);
    const input = parse(proposalSubmissionSchema, req.body, 'proposal');
    res.status(201).json(await proposals.submit(actor, input));
  });

  router.get('/proposals/:id', async (req, res) => {
    await authorize(req, approvalsProposalReadPermission);
    res.json(await proposals.get(id(req)));
  });

  router.post('/proposals/:id/claim', async (req, res) => {
    const actor = await authorize(req, approvalsProposalClaimPermission);
    res.json(await proposals.claim(actor, id(req)));
  });

  router.post('/proposals/:id/approve', async (req, res) => {
    const actor = await authorize(req, approvalsProposalApprovePermission);
    const body = parse(approveRequestSchema, req.body, 'approval');
    res.json(await proposals.approve(actor, id(req), body));
  });

  router.post('/proposals/:id/reject', async (req, res) => {
    const actor = await authorize(req, approvalsProposalRejectPermission);
    const body = parse(rejectRequestSchema, req.body, 'rejection');
    res.json(await proposals.reject(actor, id(req), body));
  });

  router.post('/proposals/:id/withdraw', async (req, res) => {
    const actor = await authorize(req, approvalsProposalWithdrawPermission);
    const body = parse(withdrawRequestSchema, req.body ?? {}, 'withdrawal');
    res.json(await proposals.withdraw(actor, id(req), body));
  });

  router.post('/proposals/:id/apply', async (req, res) => {
    const actor = await authorize(req, approvalsProposalApplyPermission);
    const body = parse(applyRequestSchema, req.body, 'apply request');
    res.json(await proposals.apply(actor, id(req), body));
  });

  router.get('/proposals/:id/gate', async (req, res) => {
    await authorize(req, approvalsGateReadPermission);
    res.json(await gate.evaluate(id(req), clock.now()));
  });

  router.get('/audit', async (req, res) => {
    await authorize(req, approvalsAuditReadPermission);
    const query = parse(
      z.strictObject({ proposalId: z.uuid().optional() }),
      req.query,
      'query',
    );
    res.json({ items: await proposals.audit.list(query) });
  });

  router.get('/audit/verify', async (req, res) => {
    await authorize(req, approvalsAuditReadPermission);
    res.json(await proposals.audit.verifyChain());
  });

  router.use(errorHandler);
  return router;
}
