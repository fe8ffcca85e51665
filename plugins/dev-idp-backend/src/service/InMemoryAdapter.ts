import type { Adapter, AdapterPayload } from 'oidc-provider';

type Entry = { payload: AdapterPayload; expiresAt: number };

/**
 * oidc-provider storage for one dev IdP instance. Everything lives in memory and is lost on
 * restart, which is what a development issuer wants (and keeps two backends booted in one test
 * process apart, unlike the library's module-wide quick-start adapter).
 */
export class InMemoryStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresInSeconds?: number) {
    this.#prune();
    const expiresAt =
      typeof expiresInSeconds === 'number'
        ? this.#now() + expiresInSeconds * 1000
        : Infinity;
    this.#entries.set(key, { payload, expiresAt });
  }

  delete(key: string) {
    this.#entries.delete(key);
  }

  /** Keys starting with `prefix` of every live entry whose payload satisfies the predicate. */
  keysWhere(
    prefix: string,
    predicate: (payload: AdapterPayload) => boolean,
  ): string[] {
    return [...this.#entries.keys()].filter(key => {
      if (!key.startsWith(prefix)) return false;
      const payload = this.get(key);
      return payload !== undefined && predicate(payload);
    });
  }

  #prune() {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(key);
    }
  }
}

/** The oidc-provider adapter contract over one InMemoryStore, for one model (Session, ...). */
export class InMemoryAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly store: InMemoryStore,
  ) {}

  private key(id: string) {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
    this.store.set(this.key(id), payload, expiresIn);
  }

  async find(id: string) {
    return this.store.get(this.key(id));
  }

  async findByUid(uid: string) {
    const [key] = this.store.keysWhere(this.key(''), p => p.uid === uid);
    return key ? this.store.get(key) : undefined;
  }

  async findByUserCode(userCode: string) {
    const [key] = this.store.keysWhere(
      this.key(''),
      p => p.userCode === userCode,
    );
    return key ? this.store.get(key) : undefined;
  }

  async consume(id: string) {
    const payload = this.store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string) {
    this.store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string) {
    // Tokens of every model (access, refresh, code) share the grant id.
    for (const key of this.store.keysWhere('', p => p.grantId === grantId)) {
      this.store.delete(key);
    }
  }
}
