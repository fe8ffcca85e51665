import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { FabricBackendClient } from '@internal/plugin-fabric-react';
import type {
  ApplyRequest,
  RollbackRequest,
  VerifyRequest,
  ApproveRequest,
  AuditChainVerification,
  AuditRecord,
  GateResult,
  Proposal,
  ProposalPage,
  ProposalClaim,
  ProposalSubmissionInput,
  ProposalView,
  RejectRequest,
  WithdrawRequest,
} from '@internal/plugin-approvals-common';
import type { ApprovalsApi, ProposalListFilter } from './ApprovalsApi';

const enc = encodeURIComponent;

/** Talks to `/api/approvals` as the signed-in user. */
export class ApprovalsClient
  extends FabricBackendClient
  implements ApprovalsApi
{
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    super('approvals', options);
  }

  listProposals(filter: ProposalListFilter = {}) {
    return this.request<ProposalPage>('GET', '/proposals', {
      query: { ...filter },
    });
  }

  submitProposal(submission: ProposalSubmissionInput) {
    return this.request<Proposal>('POST', '/proposals', { body: submission });
  }

  getProposal(id: string) {
    return this.request<ProposalView>('GET', `/proposals/${enc(id)}`);
  }

  getAudit(id: string) {
    return this.request<{ items: AuditRecord[] }>(
      'GET',
      `/proposals/${enc(id)}/audit`,
    );
  }

  getGate(id: string) {
    return this.request<GateResult>('GET', `/proposals/${enc(id)}/gate`);
  }

  claim(id: string) {
    return this.request<ProposalClaim>('POST', `/proposals/${enc(id)}/claim`, {
      body: {},
    });
  }

  approve(id: string, body: ApproveRequest) {
    return this.action(id, 'approve', body);
  }

  reject(id: string, body: RejectRequest) {
    return this.action(id, 'reject', body);
  }

  withdraw(id: string, body: WithdrawRequest) {
    return this.action(id, 'withdraw', body);
  }

  apply(id: string, body: ApplyRequest) {
    return this.action(id, 'apply', body);
  }

  verify(id: string, body: VerifyRequest) {
    return this.action(id, 'verify', body);
  }

  rollback(id: string, body: RollbackRequest) {
    return this.action(id, 'rollback', body);
  }

  verifyAudit() {
    return this.request<AuditChainVerification>('GET', '/audit/verify');
  }

  private action(id: string, verb: string, body: object) {
    return this.request<ProposalView>('POST', `/proposals/${enc(id)}/${verb}`, {
      body: body,
    });
  }
}
