import { isOneRungUp, ladderProblems, ladderRungs, nextRung } from './ladder';

function env(name: string, spec: Record<string, unknown>) {
  return {
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: { type: 'environment', ...spec },
  };
}

const ladder = [
  env('prod', { ladder: 'run-operate', rung: 2 }),
  env('local-parity', { ladder: 'run-operate', rung: 0, next: 'dev' }),
  env('dev', { ladder: 'run-operate', rung: 1, next: 'prod' }),
  env('samakia-dns', { ladder: 'samakia-infra', rung: 0 }),
  env('samakia-minio', { ladder: 'samakia-infra', rung: 0 }),
];

describe('nextRung', () => {
  it('follows next, by name or by ref', () => {
    expect(nextRung(ladder, 'local-parity')?.metadata.name).toBe('dev');
    expect(nextRung(ladder, 'resource:default/dev')?.metadata.name).toBe(
      'prod',
    );
  });

  it('has nothing above the top, an unknown or a standalone environment', () => {
    expect(nextRung(ladder, 'prod')).toBeUndefined();
    expect(nextRung(ladder, 'nowhere')).toBeUndefined();
    expect(nextRung(ladder, 'samakia-dns')).toBeUndefined();
  });

  it('never skips a rung', () => {
    expect(isOneRungUp(ladder, 'dev', 'prod')).toBe(true);
    expect(isOneRungUp(ladder, 'local-parity', 'prod')).toBe(false);
    expect(isOneRungUp(ladder, 'prod', 'dev')).toBe(false);
    expect(isOneRungUp(ladder, 'samakia-dns', 'samakia-minio')).toBe(false);
  });

  it('orders a ladder bottom first', () => {
    expect(
      ladderRungs(ladder, 'run-operate').map(e => e.metadata.name),
    ).toEqual(['local-parity', 'dev', 'prod']);
  });
});

describe('ladderProblems', () => {
  it('finds nothing wrong in a consistent ladder', () => {
    expect(ladderProblems(ladder)).toEqual([]);
  });

  it('names a next that skips a rung, a gap and a next on the top', () => {
    const broken = [
      env('a', { ladder: 'samakia', rung: 0, next: 'c' }),
      env('b', { ladder: 'samakia', rung: 1, next: 'c' }),
      env('c', { ladder: 'samakia', rung: 3, next: 'a' }),
    ];
    const problems = ladderProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a: next must be b/),
        expect.stringMatching(/^c: rung 3 breaks the samakia ladder/),
        expect.stringMatching(/^c: the top of the samakia ladder has no next/),
      ]),
    );
  });

  it('refuses promotion links between infra environments', () => {
    const problems = ladderProblems([
      env('samakia-dns', {
        ladder: 'samakia-infra',
        rung: 0,
        next: 'samakia-minio',
      }),
      env('samakia-minio', { ladder: 'samakia-infra', rung: 0 }),
    ]);
    expect(problems).toEqual([
      expect.stringMatching(
        /^samakia-dns: the samakia-infra environments are separate/,
      ),
    ]);
  });
});
