import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  applyRequestSchema,
  approvalsAuditVerifyPermission,
  approvalsProposalApplyPermission,
  approvalsProposalApprovePermission,
  approvalsProposalClaimPermission,
  approvalsProposalReadPermission,
  approvalsProposalRejectPermission,
  approvalsProposalWithdrawPermission,
  approveRequestSchema,
  rejectRequestSchema,
  rollbackRequestSchema,
  verifyRequestSchema,
  withdrawRequestSchema,
} from '@internal/plugin-approvals-common';
import {
  fabricErrorHandler,
  parseInput,
  signingKeysMoved,
  TenantScopedAccess,
} from '@internal/plugin-fabric-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { CheckedApprovals, parseProposalId } from './service/CheckedApprovals';
import { assertOperatorNotCi } from './service/lifecycleCommands';
import { ProposalService } from './service/ProposalService';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  access: TenantScopedAccess;
  proposals: ProposalService;
  /** The permission-checked API, the same one other plugins call in-process. */
  api: CheckedApprovals;
}

/** Thin HTTP layer: parse, check the permission, call a service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, access, proposals, api } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const credentials = (req: Request): Promise<BackstageCredentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const id = (req: Request) => parseProposalId(req.params.id);

  /** For operator-only actions: the policy decides, then the service's own rules. */
  async function operatorAction(
    req: Request,
    permission: typeof approvalsProposalApprovePermission,
  ) {
    const creds = await credentials(req);
    // Refused whatever the id names (a tenant member never approves), so no answer leaks it.
    await access.assertAllowed(creds, permission);
    // Another tenant's proposal, like a missing one: 404.
    await api.proposalFor(creds, req.params.id, approvalsProposalReadPermission);
    return api.actor(creds);
  }

  router.get('/proposals', async (req, res) => {
    const creds = await credentials(req);
    res.json(await api.proposals.page(req.query, { credentials: creds }));
  });

  router.post('/proposals', async (req, res) => {
    const creds = await credentials(req);
    const proposal = await api.proposals.submit(req.body, {
      credentials: creds,
    });
    res.status(201).json(proposal);
  });

  router.get('/proposals/:id', async (req, res) => {
    const creds = await credentials(req);
    res.json(await api.proposals.get(req.params.id, { credentials: creds }));
  });

  router.get('/proposals/:id/audit', async (req, res) => {
    const proposal = await api.proposalFor(
      await credentials(req),
      req.params.id,
      approvalsProposalReadPermission,
    );
    res.json({
      items: await proposals.audit.list({ proposalId: proposal.id }),
    });
  });

  router.get('/proposals/:id/gate', async (req, res) => {
    const creds = await credentials(req);
    res.json(await api.gate.evaluate(req.params.id, { credentials: creds }));
  });

  router.get('/gate', async (req, res) => {
    const creds = await credentials(req);
    res.json(await api.gate.evaluateChange(req.query, { credentials: creds }));
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
    // Who may run the step comes before what the body says: CI gets 403, not 400.
    assertOperatorNotCi(actor, 'apply');
    const body = parseInput(
      applyRequestSchema,
      req.body ?? {},
      'The apply request',
    );
    await proposals.apply(actor, id(req), body);
    res.json(await proposals.view(id(req)));
  });

  // Verify and rollback are the operator's steps after apply; they need the apply permission.
  router.post('/proposals/:id/verify', async (req, res) => {
    const actor = await operatorAction(req, approvalsProposalApplyPermission);
    // Who may run the step comes before what the body says: CI gets 403, not 400.
    assertOperatorNotCi(actor, 'verify');
    const body = parseInput(
      verifyRequestSchema,
      req.body ?? {},
      'The verify request',
    );
    await proposals.verify(actor, id(req), body);
    res.json(await proposals.view(id(req)));
  });

  router.post('/proposals/:id/rollback', async (req, res) => {
    const actor = await operatorAction(req, approvalsProposalApplyPermission);
    // Who may run the step comes before what the body says: CI gets 403, not 400.
    assertOperatorNotCi(actor, 'rollback');
    const body = parseInput(
      rollbackRequestSchema,
      req.body ?? {},
      'The rollback request',
    );
    await proposals.rollback(actor, id(req), body);
    res.json(await proposals.view(id(req)));
  });

  router.post('/proposals/:id/withdraw', async (req, res) => {
    const creds = await credentials(req);
    const proposal = await api.proposalFor(
      creds,
      req.params.id,
      approvalsProposalWithdrawPermission,
    );
    const body = parseInput(
      withdrawRequestSchema,
      req.body ?? {},
      'The withdrawal',
    );
    await proposals.withdraw(await api.actor(creds), proposal.id, body);
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
  router.all('/keys/me', signingKeysMoved);

  router.use(fabricErrorHandler(options.logger));
  return router;
}
