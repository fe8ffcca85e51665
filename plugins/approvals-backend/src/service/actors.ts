/** What a caller is, for the approval rules; the permission policy comes on top. */
export type ApprovalsRole = 'operator' | 'governance' | 'tenant' | 'ci';

export interface Actor {
  /** Catalog user ref (or a service principal name for CI). */
  userRef: string;
  roles: ApprovalsRole[];
}

export const SYSTEM_ACTOR = 'system:approvals';

/** Time and randomness, injected so tests pin them. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
