/**
 * Slows down password guessing on the development identity provider's login form.
 *
 * Failures are counted per username and per client address. Once a key reaches its limit it is
 * locked: every attempt is refused before the password is looked at (the right one too), for a
 * lockout that doubles with each further failure after it ends, up to a cap. A success clears
 * its username's count but not the client's, so one known account cannot be used to reset an
 * address that is spraying passwords at others. Counts are forgotten a window after the last
 * failure or lockout.
 *
 * Written here rather than taken from a rate-limiting library because the lockout has to be
 * testable without sleeping: the clock is injected, and nothing runs on timers (libraries such
 * as rate-limiter-flexible read Date.now() and expire keys with setTimeout).
 */

export interface LoginThrottleOptions {
  /** Milliseconds since the epoch; injected so tests can pin and move it. */
  now?: () => number;
  /** Failed attempts for one username before it is locked. */
  maxFailuresPerUser?: number;
  /** Failed attempts from one client address, across usernames, before it is locked. */
  maxFailuresPerClient?: number;
  /** The first lockout; each failure after a lockout doubles it. */
  lockoutMs?: number;
  /** The longest lockout. */
  maxLockoutMs?: number;
  /** Counts are forgotten this long after the last failure or the end of the last lockout. */
  windowMs?: number;
  /** Keys kept at most; the oldest are dropped first (a flood of invented usernames). */
  maxKeys?: number;
}

export type ThrottleVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /** Which limit refused the attempt. */
      scope: 'user' | 'client';
      retryAfterMs: number;
    };

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

const MINUTE = 60_000;

export class LoginThrottle {
  readonly #now: () => number;
  readonly #limits: { user: number; client: number };
  readonly #lockoutMs: number;
  readonly #maxLockoutMs: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: LoginThrottleOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#limits = {
      user: options.maxFailuresPerUser ?? 5,
      client: options.maxFailuresPerClient ?? 20,
    };
    this.#lockoutMs = options.lockoutMs ?? 30_000;
    this.#maxLockoutMs = options.maxLockoutMs ?? 15 * MINUTE;
    this.#windowMs = options.windowMs ?? 15 * MINUTE;
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /** Whether an attempt for `username` from `client` may have its password checked now. */
  check(username: string, client: string): ThrottleVerdict {
    const now = this.#now();
    for (const [scope, key] of this.#keys(username, client)) {
      const entry = this.#live(key, now);
      if (entry && entry.lockedUntil > now) {
        return { allowed: false, scope, retryAfterMs: entry.lockedUntil - now };
      }
    }
    return { allowed: true };
  }

  recordFailure(username: string, client: string): void {
    const now = this.#now();
    for (const [scope, key] of this.#keys(username, client)) {
      const entry = this.#live(key, now) ?? {
        failures: 0,
        lastFailureAt: now,
        lockedUntil: 0,
      };
      entry.failures += 1;
      entry.lastFailureAt = now;
      const over = entry.failures - this.#limits[scope];
      if (over >= 0) {
        entry.lockedUntil =
          now + Math.min(this.#lockoutMs * 2 ** over, this.#maxLockoutMs);
      }
      // Re-inserted so the map stays ordered by last use (oldest first, for pruning).
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    this.#prune(now);
  }

  recordSuccess(username: string, client: string): void {
    const [[, userKey]] = this.#keys(username, client);
    this.#entries.delete(userKey);
  }

  /** How many keys are tracked (for tests of the memory bound). */
  get size(): number {
    return this.#entries.size;
  }

  #keys(username: string, client: string): Array<['user' | 'client', string]> {
    // Usernames are case-insensitive here so `Olivia.Operator` does not get a fresh count.
    return [
      ['user', `user:${username.trim().toLowerCase()}`],
      ['client', `client:${client}`],
    ];
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (
      now - Math.max(entry.lastFailureAt, entry.lockedUntil) >
      this.#windowMs
    ) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #prune(now: number) {
    if (this.#entries.size <= this.#maxKeys) return;
    for (const key of [...this.#entries.keys()]) {
      this.#live(key, now);
    }
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxKeys) break;
      this.#entries.delete(key);
    }
  }
}
