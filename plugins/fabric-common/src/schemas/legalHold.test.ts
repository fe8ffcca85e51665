import { parseTenantEntity } from '../parse';
import { problemsOf, validTenant, withField } from '../testing/fixtures';
import { heldTenantRefs } from './legalHold';

const hold = {
  setBy: 'group:default/legal',
  since: '2026-06-01',
  reason: 'Litigation hold for the June outage review',
  caseRef: 'LEGAL-2026-014',
};

function tenantWithHold(value: unknown) {
  return withField(validTenant(), 'spec.legalHold', value);
}

describe('legal hold on a tenant', () => {
  beforeEach(() => {
    // "Today" is pinned: the future check must not depend on when the test runs.
    jest.useFakeTimers({ now: new Date('2026-06-10T12:00:00Z') });
  });
  afterEach(() => jest.useRealTimers());

  it('accepts a complete hold, and one without a case ref', () => {
    expect(parseTenantEntity(tenantWithHold(hold)).success).toBe(true);
    const { caseRef: _, ...withoutCase } = hold;
    expect(parseTenantEntity(tenantWithHold(withoutCase)).success).toBe(true);
  });

  it.each(['setBy', 'since', 'reason'])('refuses a hold without %s', field => {
    const value: Record<string, unknown> = { ...hold };
    delete value[field];
    const problems = problemsOf(parseTenantEntity(tenantWithHold(value)));
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe(`spec.legalHold.${field}`);
  });

  it('refuses a blank reason', () => {
    expect(
      problemsOf(parseTenantEntity(tenantWithHold({ ...hold, reason: '  ' }))),
    ).toEqual([
      {
        path: 'spec.legalHold.reason',
        message: 'must not be empty; fill it in or remove the field',
      },
    ]);
  });

  it('refuses a reason with invisible characters', () => {
    const reason = 'Hold \u202Eesaeler\u202C until review';
    const problems = problemsOf(
      parseTenantEntity(tenantWithHold({ ...hold, reason })),
    );
    expect(problems).toEqual([
      {
        path: 'spec.legalHold.reason',
        message: expect.stringContaining('invisible or control characters'),
      },
    ]);
    expect(problems[0].message).toContain('U+202E');
  });

  it('refuses a since date in the future, allows today and a day of time-zone slack', () => {
    expect(
      problemsOf(
        parseTenantEntity(tenantWithHold({ ...hold, since: '2026-06-12' })),
      ),
    ).toEqual([
      {
        path: 'spec.legalHold.since',
        message:
          "'2026-06-12' is in the future; a hold starts when it is decided, write that date (today at the latest)",
      },
    ]);
    for (const since of ['2026-06-10', '2026-06-11']) {
      expect(
        parseTenantEntity(tenantWithHold({ ...hold, since })).success,
      ).toBe(true);
    }
  });

  it('refuses a since that is not a calendar date, and a setBy that is not a group', () => {
    const problems = problemsOf(
      parseTenantEntity(
        tenantWithHold({
          ...hold,
          since: '2026-02-30',
          setBy: 'user:default/ana',
        }),
      ),
    );
    expect(problems.map(p => p.path).sort()).toEqual([
      'spec.legalHold.setBy',
      'spec.legalHold.since',
    ]);
  });

  it('refuses unknown fields in the hold', () => {
    const problems = problemsOf(
      parseTenantEntity(tenantWithHold({ ...hold, until: '2027-01-01' })),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('spec.legalHold');
  });

  it('lists held tenants, counting any hold block present', () => {
    const held = tenantWithHold(hold) as any;
    const broken = tenantWithHold({ reason: '' }) as any;
    broken.metadata = { ...broken.metadata, name: 'Other-Tenant' };
    const free = validTenant() as any;
    free.metadata = { ...free.metadata, name: 'free' };
    expect(heldTenantRefs([held, broken, free])).toEqual([
      'tenant:default/other-tenant',
      'tenant:default/project-birds',
    ]);
  });
});
