import { KeyRegistry } from '../service/signatures';

/** A KeyRegistry held in memory, for unit tests of the proposal rules. */
export class InMemoryKeyRegistry implements KeyRegistry {
  private readonly keys = new Map<string, string[]>();

  constructor(initial?: Record<string, string | string[]>) {
    for (const [user, keys] of Object.entries(initial ?? {})) {
      this.keys.set(user, Array.isArray(keys) ? [...keys] : [keys]);
    }
  }

  register(userRef: string, armoredPublicKey: string): void {
    this.keys.set(userRef, [
      ...(this.keys.get(userRef) ?? []),
      armoredPublicKey,
    ]);
  }

  async getPublicKeys(userRef: string): Promise<string[]> {
    return [...(this.keys.get(userRef) ?? [])];
  }
}
