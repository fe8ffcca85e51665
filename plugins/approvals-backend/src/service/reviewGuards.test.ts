import { Proposal } from '@internal/plugin-approvals-common';
import { Actor } from './actors';
import { assertReviewer } from './reviewGuards';

const proposal = (type: string) =>
  ({
    id: 'p-1',
    type,
    requester: 'user:default/olivia.operator',
  } as unknown as Proposal);

const greta: Actor = {
  userRef: 'user:default/greta.governance',
  roles: ['governance'],
};
const oscar: Actor = {
  userRef: 'user:default/oscar.operator',
  roles: ['operator'],
};
const bea: Actor = { userRef: 'user:default/bea.birds', roles: ['tenant'] };

describe('assertReviewer', () => {
  it('lets the governance group decide ZAKON proposals only', () => {
    expect(() =>
      assertReviewer(greta, proposal('new-rule'), 'approve'),
    ).not.toThrow();
    expect(() =>
      assertReviewer(greta, proposal('rule-publish'), 'approve'),
    ).not.toThrow();
    expect(() =>
      assertReviewer(greta, proposal('capacity-change'), 'approve'),
    ).toThrow(
      'The governance group only approves ZAKON proposals (new-rule, rule-publish); p-1 is a capacity-change',
    );
  });

  it('keeps operators reviewing everything and tenants nothing', () => {
    expect(() =>
      assertReviewer(oscar, proposal('other'), 'approve'),
    ).not.toThrow();
    expect(() => assertReviewer(bea, proposal('new-rule'), 'approve')).toThrow(
      'Tenants never approve proposals',
    );
    expect(() =>
      assertReviewer(
        { ...oscar, userRef: 'user:default/olivia.operator' },
        proposal('new-rule'),
        'approve',
      ),
    ).toThrow(/Nobody may approve their own proposal/);
  });
});
