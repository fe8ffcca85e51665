import { LoginThrottle } from './LoginThrottle';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** A throttle on a clock the test moves by hand. */
function pinned(options: ConstructorParameters<typeof LoginThrottle>[0] = {}) {
  let now = Date.UTC(2030, 0, 1);
  const throttle = new LoginThrottle({ ...options, now: () => now });
  return {
    throttle,
    advance(ms: number) {
      now += ms;
    },
  };
}

function fail(
  throttle: LoginThrottle,
  times: number,
  user = 'olivia',
  ip = '10.0.0.1',
) {
  for (let i = 0; i < times; i++) throttle.recordFailure(user, ip);
}

describe('LoginThrottle', () => {
  it('locks a username after five failures, for 30 seconds, refusing even the right password', () => {
    const { throttle, advance } = pinned();
    fail(throttle, 4);
    expect(throttle.check('olivia', '10.0.0.1')).toEqual({ allowed: true });
    fail(throttle, 1);
    expect(throttle.check('olivia', '10.0.0.1')).toEqual({
      allowed: false,
      scope: 'user',
      retryAfterMs: 30 * SECOND,
    });
    // From another address too: the lock is on the account.
    expect(throttle.check('olivia', '10.9.9.9').allowed).toBe(false);
    // Another account from the same address is not locked.
    expect(throttle.check('oscar', '10.0.0.1').allowed).toBe(true);

    advance(30 * SECOND - 1);
    expect(throttle.check('olivia', '10.0.0.1')).toMatchObject({
      allowed: false,
      retryAfterMs: 1,
    });
    advance(1);
    expect(throttle.check('olivia', '10.0.0.1')).toEqual({ allowed: true });
  });

  it('doubles the lockout with each failure after one, up to 15 minutes', () => {
    const { throttle, advance } = pinned();
    fail(throttle, 5);
    const lockouts: number[] = [];
    for (let i = 0; i < 8; i++) {
      const verdict = throttle.check('olivia', '10.0.0.1');
      if (verdict.allowed) throw new Error('expected a lockout');
      lockouts.push(verdict.retryAfterMs);
      advance(verdict.retryAfterMs);
      expect(throttle.check('olivia', '10.0.0.1').allowed).toBe(true);
      fail(throttle, 1);
    }
    expect(lockouts.map(ms => ms / SECOND)).toEqual([
      30, 60, 120, 240, 480, 900, 900, 900,
    ]);
  });

  it('is not fooled by the case or spaces of a username', () => {
    const { throttle } = pinned();
    fail(throttle, 3, 'olivia');
    fail(throttle, 2, ' Olivia ');
    expect(throttle.check('OLIVIA', '10.0.0.2').allowed).toBe(false);
  });

  it('locks an address spraying passwords across usernames', () => {
    const { throttle } = pinned();
    for (let i = 0; i < 20; i++) throttle.recordFailure(`user${i}`, '10.0.0.7');
    expect(throttle.check('fresh.user', '10.0.0.7')).toEqual({
      allowed: false,
      scope: 'client',
      retryAfterMs: 30 * SECOND,
    });
    expect(throttle.check('fresh.user', '10.0.0.8').allowed).toBe(true);
  });

  it('clears a username on success, but not the address', () => {
    const { throttle } = pinned();
    fail(throttle, 4, 'olivia', '10.0.0.3');
    for (let i = 0; i < 15; i++) throttle.recordFailure(`u${i}`, '10.0.0.3');
    throttle.recordSuccess('olivia', '10.0.0.3');
    fail(throttle, 1, 'olivia', '10.0.0.3');
    // olivia starts again at one failure; the address reached 20.
    expect(throttle.check('olivia', '10.0.0.4').allowed).toBe(true);
    expect(throttle.check('olivia', '10.0.0.3')).toMatchObject({
      allowed: false,
      scope: 'client',
    });
  });

  it('forgets failures 15 minutes after the last one', () => {
    const { throttle, advance } = pinned();
    fail(throttle, 4);
    advance(15 * MINUTE + 1);
    fail(throttle, 4);
    expect(throttle.check('olivia', '10.0.0.1').allowed).toBe(true);
    fail(throttle, 1);
    expect(throttle.check('olivia', '10.0.0.1').allowed).toBe(false);
  });

  it('keeps a bounded number of keys under a flood of invented usernames', () => {
    const { throttle } = pinned({ maxKeys: 100, maxFailuresPerClient: 1e9 });
    for (let i = 0; i < 1000; i++)
      throttle.recordFailure(`random${i}`, '10.0.0.5');
    expect(throttle.size).toBeLessThanOrEqual(100);
    // The flooding address is the newest key, never the one dropped.
    fail(throttle, 5, 'random999', '10.0.0.5');
    expect(throttle.check('random999', '10.0.0.6').allowed).toBe(false);
  });
});
