import { birdsProposal } from '../reliability/support/fixtures';

// The mixed load of the topology test, through the load balancer: proposals by a tenant member
// claimed and approved by two different operators, drift runs and evidence uploads by CI, and
// catalog, gate, proposal, evidence and drift reads. Every request's answer is recorded with the
// phase of the test it fell in.

/** Two operators for the two-person rule, and a member of the tenant who proposes. */
export const OPERATORS = ['olivia.operator', 'oscar.operator'];
export const REQUESTER = 'bea.birds';
export const PROPOSAL_TITLE = 'Topology proposal';

export type Phase = 'steady' | 'sigkill' | 'sigterm';

export interface Outcome {
  kind: string;
  id: string;
  status: number; // 0: no answer (connection error)
  phase: Phase;
}

const READS = [
  '/api/catalog/entities/by-query?filter=kind=tenant&limit=20',
  // The gate of the latest proposed change (of the first, before any was proposed).
  '/api/approvals/gate?tenant=project-birds&changeRef=',
  '/api/approvals/proposals?tenant=project-birds&limit=20',
  '/api/evidence/packets?tenant=project-birds&limit=20',
  '/api/drift/current?tenant=project-birds',
];

export class TopologyLoad {
  readonly outcomes: Outcome[] = [];
  /** Proposal id by the title it was submitted with (from the 201 answers). */
  readonly submitted = new Map<string, string>();
  phase: Phase = 'steady';
  readonly #changeRefs: string[] = [];
  #seq = 0;

  constructor(
    private readonly options: {
      baseUrl: string;
      ciToken: string;
      /** Backstage tokens of OPERATORS and REQUESTER. */
      tokens: Record<string, string>;
      /** An evidence packet (tar.gz) to upload again and again. */
      packet: Buffer;
    },
  ) {}

  /** Starts the workers: one per kind of write, three readers. */
  start() {
    let stop = false;
    const loop = (fn: () => Promise<unknown>) =>
      (async () => {
        while (!stop) await fn();
      })();
    const workers = [
      loop(() => this.approvals()),
      loop(() => this.drift()),
      loop(() => this.evidence()),
      ...[0, 1, 2].map(w => {
        let i = w;
        return loop(() => this.read(i++));
      }),
    ];
    return {
      stop: async () => {
        stop = true;
        await Promise.all(workers);
      },
    };
  }

  async #record(kind: string, id: string, request: () => Promise<Response>) {
    const at = this.phase;
    let status = 0;
    let body: any;
    try {
      const res = await request();
      const text = await res.text();
      status = res.status;
      body = text.startsWith('{') ? JSON.parse(text) : undefined;
    } catch {
      status = 0;
    }
    // A request in flight when the phase changed belongs to both: the SIGKILL window is the
    // one that may fail requests, so it wins.
    const ended = this.phase;
    this.outcomes.push({
      kind,
      id,
      status,
      phase: at === 'sigkill' || ended === 'sigkill' ? 'sigkill' : ended,
    });
    return { status, body };
  }

  #post(token: string, json: unknown, type = 'application/json') {
    return {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
      body: type === 'application/json' ? JSON.stringify(json) : (json as any),
    };
  }

  /**
   * A tenant member proposes; one operator claims and approves, then the other: only the
   * second approval (of two different people) approves the proposal.
   */
  async approvals() {
    const { baseUrl, tokens } = this.options;
    const n = this.#seq++;
    const title = `${PROPOSAL_TITLE} ${n}`;
    const changeRef = `topology-${n}`;
    const submit = await this.#record('proposal-submit', title, () =>
      fetch(
        `${baseUrl}/api/approvals/proposals`,
        this.#post(tokens[REQUESTER], {
          ...birdsProposal(title, changeRef),
          environment: 'samakia-staging',
        }),
      ),
    );
    if (submit.status !== 201) return;
    this.submitted.set(title, submit.body.id);
    this.#changeRefs.push(changeRef);
    const proposal = `${baseUrl}/api/approvals/proposals/${submit.body.id}`;
    for (const operator of OPERATORS) {
      const key = `${submit.body.id} user:default/${operator}`;
      const claim = await this.#record('proposal-claim', key, () =>
        fetch(`${proposal}/claim`, this.#post(tokens[operator], {})),
      );
      if (claim.status !== 200) return;
      const approve = await this.#record('proposal-approve', key, () =>
        fetch(
          `${proposal}/approve`,
          this.#post(tokens[operator], { comment: `topology ${operator}` }),
        ),
      );
      if (approve.status !== 200) return;
    }
  }

  async drift() {
    const id = `https://ci.example.com/topology/${this.#seq++}`;
    await this.#record('drift-write', id, () =>
      fetch(
        `${this.options.baseUrl}/api/drift/runs`,
        this.#post(this.options.ciToken, {
          source: 'ci/topology',
          environment: 'samakia-dev',
          tenant: 'project-birds',
          runUrl: id,
          findings: ['a', 'b'].map(r => ({
            provider: 'postgres',
            resource: `birds-dev/${r}`,
            class: 'in-sync',
            verdict: 'PASS',
            declared: 1,
            observed: 1,
          })),
        }),
      ),
    );
  }

  async evidence() {
    const n = this.#seq++;
    const timestamp = new Date(Date.UTC(2026, 0, 1) + n * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
    await this.#record('evidence-write', timestamp, () =>
      fetch(
        `${this.options.baseUrl}/api/evidence/packets?area=tenants&subject=project-birds&timestamp=${timestamp}`,
        this.#post(
          this.options.ciToken,
          this.options.packet,
          'application/gzip',
        ),
      ),
    );
  }

  async read(i: number) {
    let url = READS[i % READS.length];
    if (url.endsWith('changeRef=')) {
      url += this.#changeRefs[this.#changeRefs.length - 1] ?? 'topology-0';
    }
    await this.#record(`read ${url.split('?')[0]}`, url, () =>
      fetch(`${this.options.baseUrl}${url}`, {
        headers: { Authorization: `Bearer ${this.options.ciToken}` },
      }),
    );
  }
}
