import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  applyRequestSchema,
  approvalsAuditVerifyPermission,
  approvalsGateReadPermission,
  approvalsProposalApplyPermission,
  approvalsProposalApprovePermission,
  approvalsProposalClaimPermission,
  approvalsProposalCreatePermission,
  approvalsProposalReadPermission,
  approvalsProposalRejectPermission,
  approvalsProposalWithdrawPermission,
  approveRequestSchema,
  gateQuerySchema,
  proposalListQuerySchema,
  proposalSubmissionSchema,
  rejectRequestSchema,
  withdrawRequestSchema,
} from '@internal/plugin-approvals-common';
import {
  fabricErrorHandler,
  parseInput,
  TenantScopedAccess,
} from '@internal/plugin-fabric-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { GateService } from './service/GateService';
import { ProposalService } from './service/ProposalService';
import { RoleResolver } from './service/roles';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  access: TenantScopedAccess;
  roles: RoleResolver;
  proposals: ProposalService;
  gate: GateService;
}

const idSchema = z.uuid({ message: 'must be a proposal id (a UUID)' });

/** Thin HTTP layer: parse, check the permission, call a service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, access, roles, proposals, gate } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const credentials = (req: Request): Promise<BackstageCredentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const id = (req: Request) =>
    parseInput(idSchema, req.params.id, 'The proposal id');

  /** Loads the proposal and checks a tenant-scoped permission on it. */
  async function proposalFor(
    req: Request,
    permission: typeof approvalsProposalReadPermission,
  ) {
    const creds = await credentials(req);
    const proposal = await proposals.proposals.get(id(req));
    await access.assertAllowedFor(creds, permission, proposal);
    return { creds, proposal };
  }

  /** For operator-only actions: the policy decides, then the service's own rules. */
  async function operatorAction(
    req: Request,
    permission: typeof approvalsProposalApprovePermission,
  ) {
    const creds = await credentials(req);
    await access.assertAllowed(creds, permission);
    const proposal = await proposals.proposals.get(id(req));
    await access.assertAllowedFor(
      creds,
      approvalsProposalReadPermission,
      proposal,
    );
    return roles.resolve(creds);
  }

  router.get('/proposals', async (req, res) => {
    const creds = await credentials(req);
    const query = parseInput(proposalListQuerySchema, req.query, 'The query');
    const scope = await access.scope(creds, approvalsProposalReadPermission);
    const actor = await roles.resolve(creds);
    const items = await proposals.list(query, {
      viewer: actor.userRef,
      tenants: scope.all ? undefined : scope.tenants,
    });
    res.json({ items });
  });

  router.post('/proposals', async (req, res) => {
    const creds = await credentials(req);
    const input = parseInput(
      proposalSubmissionSchema,
      req.body,
      'The proposal',
    );
    await access.assertAllowedFor(
      creds,
      approvalsProposalCreatePermission,
      input,
    );
    const actor = await roles.resolve(creds);
    res.status(201).json(await proposals.submit(actor, input));
  });

  router.get('/proposals/:id', async (req, res) => {
    const { proposal } = await proposalFor(
      req,
      approvalsProposalReadPermission,
    );
    res.json(await proposals.view(proposal.id));
  });

  router.get('/proposals/:id/audit', async (req, res) => {
    const { proposal } = await proposalFor(
      req,
      approvalsProposalReadPermission,
    );
    res.json({
      items: await proposals.audit.list({ proposalId: proposal.id }),
    });
  });

  router.get('/proposals/:id/gate', async (req, res) => {
    const { proposal } = await proposalFor(req, approvalsGateReadPermission);
    res.json(await gate.evaluate(proposal.id));
  });

  router.get('/gate', async (req, res) => {
    const creds = await credentials(req);
    const query = parseInput(gateQuerySchema, req.query, 'The gate query');
    await access.assertAllowedFor(creds, approvalsGateReadPermission, query);
    res.json(await gate.evaluateChange(query.tenant, query.changeRef));
  });

  router.post('/proposals/:id/claim', async (req, res) => {
    const actor = await operatorAction(req, approvalsProposalClaimPermission);
    await proposals.claim(actor, id(req));
    res.json(await proposals.view(id(req)));
  });

  router.post('/proposals/:id/approve', async (req, res) => {
    const actor = await operatorAction(req, approvalsProposalApprovePermission);
    const body = parseInput(
      approveRequestSchema,
      req.body ?? {},
      'The approval',
    );
    await proposals.approve(actor, id(req), body);
    res.json(await proposals.view(id(req)));
  });

  router.post('/proposals/:id/reject', async (req, res) => {
    const actor = await operatorAction(req, approvalsProposalRejectPermission);
    const body = parseInput(
      rejectRequestSchema,
      req.body ?? {},
      'The rejection',
    );
    await proposals.reject(actor, id(req), body);
    res.json(await proposals.view(id(req)));
  });

  router.post('/proposals/:id/apply', async (req, res) => {
    const actor = await operatorAction(req, approvalsProposalApplyPermission);
    const body = parseInput(
      applyRequestSchema,
      req.body ?? {},
      'The apply request',
    );
    await proposals.apply(actor, id(req), body);
    res.json(await proposals.view(id(req)));
  });

  router.post('/proposals/:id/withdraw', async (req, res) => {
    const { creds, proposal } = await proposalFor(
      req,
      approvalsProposalWithdrawPermission,
    );
    const body = parseInput(
      withdrawRequestSchema,
      req.body ?? {},
      'The withdrawal',
    );
    await proposals.withdraw(await roles.resolve(creds), proposal.id, body);
    res.json(await proposals.view(proposal.id));
  });

  router.get('/audit/verify', async (req, res) => {
    await access.assertAllowed(
      await credentials(req),
      approvalsAuditVerifyPermission,
    );
    res.json(await proposals.audit.verifyChain());
  });

  // Keys moved to the one signing-key registry; say where instead of a bare 404.
  router.all('/keys/me', (_req, res) => {
    res.status(410).json({
      error: {
        name: 'GoneError',
        message:
          'Signing keys moved to the signing-key registry: GET or PUT /api/signing-keys/keys/me (PUT needs a challenge from POST /api/signing-keys/challenges signed with the key)',
      },
      response: { statusCode: 410 },
    });
  });

  router.use(fabricErrorHandler(options.logger));
  return router;
}
