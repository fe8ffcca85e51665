import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';

/**
 * Hands one backend plugin's in-process API to another. A plugin's services are scoped to
 * that plugin, so the owning plugin registers its implementation here (a root service: one
 * per backend) during init, and callers wait for it until the backend has started.
 */
export class DeferredCapability<T> {
  #implementation?: T;
  #started = false;
  #waiting: Array<{ resolve(v: T): void; reject(e: Error): void }> = [];

  constructor(private readonly missing: string) {}

  register(implementation: T): void {
    if (this.#implementation) {
      throw new Error(`${this.missing}: registered twice in this backend`);
    }
    this.#implementation = implementation;
    for (const w of this.#waiting.splice(0)) w.resolve(implementation);
  }

  get(): Promise<T> {
    if (this.#implementation) return Promise.resolve(this.#implementation);
    if (this.#started) {
      return Promise.reject(new ServiceUnavailableError(this.missing));
    }
    return new Promise((resolve, reject) =>
      this.#waiting.push({ resolve, reject }),
    );
  }

  backendStarted(): void {
    this.#started = true;
    if (this.#implementation) return;
    for (const w of this.#waiting.splice(0)) {
      w.reject(new ServiceUnavailableError(this.missing));
    }
  }
}

function deferredRef<T>(id: string, missing: string) {
  return createServiceRef<DeferredCapability<T>>({
    id,
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { lifecycle: coreServices.rootLifecycle },
        factory({ lifecycle }) {
          const capability = new DeferredCapability<T>(missing);
          lifecycle.addStartupHook(() => capability.backendStarted());
          return capability;
        },
      }),
  });
}

/** One evidence packet as other plugins read it (no files, no signatures). */
export interface EvidencePacketSummary {
  id: string;
  /** Canonical tenant ref, lower-case. */
  tenant?: string;
  entityRefs: string[];
  /** verified, unsigned, incomplete, redaction-failed or tampered. */
  verdict: string;
  /** When the evidence was taken, ISO UTC. */
  timestamp: string;
  area?: string;
  title?: string;
}

/** The evidence index, in-process: what approvals needs to resolve packet references. */
export interface EvidencePacketsService {
  getPacket(id: string): Promise<EvidencePacketSummary | undefined>;
}

/** Current drift of a target, in-process: the worst verdict of its newest runs. */
export interface DriftStateService {
  currentVerdict(target: {
    tenant: string;
    environment: string;
  }): Promise<{ verdict: 'PASS' | 'WARN' | 'FAIL' | 'NONE'; summary: string }>;
}

/**
 * The evidence backend registers its packet index here; approvals resolves packet
 * references through it. Minimal on purpose: an `evidence-node` package may take its place.
 */
export const evidenceServiceRef = deferredRef<EvidencePacketsService>(
  'fabric.evidence.packets',
  'The evidence backend is not running in this backend: add @internal/plugin-evidence-backend to packages/backend',
);

/** The drift backend registers its current state here; approvals gates promotions on it. */
export const driftServiceRef = deferredRef<DriftStateService>(
  'fabric.drift.state',
  'The drift backend is not running in this backend: add @internal/plugin-drift-backend to packages/backend',
);
