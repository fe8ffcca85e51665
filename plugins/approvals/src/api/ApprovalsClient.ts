import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import type {
  ApplyRequest,
  ApproveRequest,
  AuditChainVerification,
  AuditRecord,
  GateResult,
  Proposal,
  ProposalClaim,
  ProposalSubmissionInput,
  ProposalView,
  RejectRequest,
  SigningKeyInfo,
  WithdrawRequest,
} from '@internal/plugin-approvals-common';
import type { ApprovalsApi, ProposalListFilter } from './ApprovalsApi';

const enc = encodeURIComponent;

/**
 * An error answered by the approvals backend. The message is the backend's own: it names the
 * field and the fix, so the UI shows it as it is.
 */
export class ApprovalsApiError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, name: string, message: string) {
    super(message);
    this.name = name;
    this.statusCode = statusCode;
  }

  static async fromResponse(res: Response): Promise<ApprovalsApiError> {
    let body: any;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const error = body?.error;
    if (error && typeof error.message === 'string') {
      return new ApprovalsApiError(
        res.status,
        typeof error.name === 'string' ? error.name : 'Error',
        error.message,
      );
    }
    return new ApprovalsApiError(
      res.status,
      'Error',
      `The approvals backend answered ${res.status}${
        res.statusText ? ` ${res.statusText}` : ''
      }`,
    );
  }
}

/** Talks to `/api/approvals` with the signed-in user's token (fetchApi attaches it). */
export class ApprovalsClient implements ApprovalsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  listProposals(filter: ProposalListFilter = {}) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value) query.set(key, value);
    }
    const qs = query.toString();
    return this.request<{ items: Proposal[] }>(
      'GET',
      `/proposals${qs ? `?${qs}` : ''}`,
    );
  }

  submitProposal(submission: ProposalSubmissionInput) {
    return this.request<Proposal>('POST', '/proposals', submission);
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
    return this.request<ProposalClaim>(
      'POST',
      `/proposals/${enc(id)}/claim`,
      {},
    );
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

  verifyAudit() {
    return this.request<AuditChainVerification>('GET', '/audit/verify');
  }

  async getMySigningKey() {
    try {
      return await this.request<SigningKeyInfo>('GET', '/keys/me');
    } catch (e) {
      // 404 means "no key registered yet", which the panel shows as such.
      if (e instanceof ApprovalsApiError && e.statusCode === 404) {
        return undefined;
      }
      throw e;
    }
  }

  putMySigningKey(publicKey: string) {
    return this.request<SigningKeyInfo>('PUT', '/keys/me', { publicKey });
  }

  private action(id: string, verb: string, body: object) {
    return this.request<ProposalView>(
      'POST',
      `/proposals/${enc(id)}/${verb}`,
      body,
    );
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl('approvals');
    const res = await this.fetchApi.fetch(`${base}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    if (!res.ok) {
      throw await ApprovalsApiError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
