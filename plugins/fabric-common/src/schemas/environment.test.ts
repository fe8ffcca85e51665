import { parseEnvironmentEntity, parseFabricEntity } from '../parse';

function rung(spec: Record<string, unknown>, name = 'dev') {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name },
    spec: {
      type: 'environment',
      owner: 'group:default/platform-operators',
      lifecycle: 'production',
      ...spec,
    },
  };
}

const contract = {
  mustMatch: [
    'schemas',
    'envelope-pins',
    'dedupe-keys',
    'manifest-receipt-layouts',
    'registry-scope-rules',
  ],
  mayDiffer: ['capacity-scale', 'auth-mode'],
};

describe('environment rungs', () => {
  it('accepts a run-operate rung with its parity contract', () => {
    const result = parseFabricEntity(
      rung({ ladder: 'run-operate', rung: 1, next: 'prod', parity: contract }),
    );
    expect(result?.success).toBe(true);
  });

  it('refuses a run-operate rung without a parity contract, naming the field', () => {
    const result = parseEnvironmentEntity(
      rung({ ladder: 'run-operate', rung: 1, next: 'prod' }),
    );
    expect(result.success).toBe(false);
    expect(!result.success && result.message).toMatch(
      /spec\.parity.*is missing; every rung of the run-operate ladder carries the parity contract/s,
    );
  });

  it('refuses a contract that lets schemas differ', () => {
    const result = parseEnvironmentEntity(
      rung({
        ladder: 'run-operate',
        rung: 0,
        parity: {
          mustMatch: contract.mustMatch.filter(m => m !== 'schemas'),
          mayDiffer: ['schemas'],
        },
      }),
    );
    expect(result.success).toBe(false);
    const message = !result.success ? result.message : '';
    expect(message).toMatch(
      /spec\.parity\.mayDiffer\[0\]: "schemas" is not allowed; use one of: capacity-scale/,
    );
  });

  it('refuses a contract that drops a must-match item', () => {
    const result = parseEnvironmentEntity(
      rung({
        ladder: 'run-operate',
        rung: 0,
        parity: {
          ...contract,
          mustMatch: contract.mustMatch.filter(m => m !== 'dedupe-keys'),
        },
      }),
    );
    expect(!result.success && result.message).toMatch(
      /spec\.parity\.mustMatch: misses 'dedupe-keys'/,
    );
  });

  it('refuses a difference the contract does not allow', () => {
    const result = parseEnvironmentEntity(
      rung({
        ladder: 'run-operate',
        rung: 0,
        parity: { ...contract, mayDiffer: ['dedupe-keys-by-region'] },
      }),
    );
    expect(result.success).toBe(false);
  });

  it('refuses a parity contract on a ladder that has none', () => {
    const result = parseEnvironmentEntity(
      rung({ ladder: 'samakia', rung: 0, parity: contract }),
    );
    expect(!result.success && result.message).toMatch(
      /only the run-operate ladder has a parity contract/,
    );
  });

  it('refuses an unknown ladder and a missing rung', () => {
    const result = parseEnvironmentEntity(rung({ ladder: 'staging-ish' }));
    expect(result.success).toBe(false);
    const message = !result.success ? result.message : '';
    expect(message).toMatch(/spec\.ladder/);
    expect(message).toMatch(/spec\.rung/);
  });

  it('refuses a rung whose next is itself', () => {
    const result = parseEnvironmentEntity(
      rung({ ladder: 'samakia', rung: 0, next: 'resource:default/dev' }),
    );
    expect(!result.success && result.message).toMatch(
      /is this environment itself/,
    );
  });

  it('leaves other Resources alone', () => {
    expect(
      parseFabricEntity({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'bucket' },
        spec: { type: 's3-bucket', owner: 'x', lifecycle: 'production' },
      }),
    ).toBeUndefined();
  });
});
