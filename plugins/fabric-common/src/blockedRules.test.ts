import { Entity } from '@backstage/catalog-model';
import {
  isZakonRuleBlockedInCatalog,
  listBlockedZakonRules,
} from './blockedRules';
import { validActiveRule } from './testing/fixtures';

const ourMessage =
  'ZakonRule zakonrule:default/unsigned-rule is blocked by the ZAKON approval gate (fail closed) and is not ingested until fixed:\n- spec.approvalToken: ...';

// Shaped like a real row of GET /api/catalog/entities/unprocessed/pending.
const pendingRow = {
  entity_id: null,
  entity_ref: null,
  unprocessed_entity: {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'ZakonRule',
    metadata: {
      name: 'unsigned-rule',
      title: 'Unsigned',
      annotations: {
        'backstage.io/managed-by-location': 'file:catalog/zakon-rules.yaml',
      },
    },
    spec: {},
  },
  processed_entity: null,
  errors: [
    {
      name: 'InputError',
      message: `Processor FabricEntitiesProcessor threw an error while validating the entity zakonrule:default/unsigned-rule; caused by InputError: ${ourMessage}`,
      cause: { name: 'InputError', message: ourMessage },
    },
  ],
  last_discovery_at: '2026-05-13 10:04:14',
};

const stillPendingRow = {
  ...pendingRow,
  unprocessed_entity: {
    ...pendingRow.unprocessed_entity,
    metadata: { name: 'new-rule' },
  },
  errors: [],
};

const otherKindRow = {
  ...pendingRow,
  unprocessed_entity: { kind: 'Plane', metadata: { name: 'dns' } },
};

function storedRuleWithError(): Entity {
  return {
    ...validActiveRule(),
    metadata: {
      name: 'blueprint-enforcement',
      annotations: {
        'backstage.io/managed-by-location': 'file:catalog/zakon-rules.yaml',
      },
    },
    status: {
      items: [
        {
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message: `InputError: Processor ... caused by InputError: ${ourMessage}`,
          error: {
            name: 'InputError',
            message: 'Processor ...',
            cause: { name: 'InputError', message: 'the rule lost its sha256' },
          },
        },
      ],
    },
  } as Entity;
}

describe('listBlockedZakonRules', () => {
  it('lists never-ingested rules with errors from the unprocessed response', () => {
    expect(
      listBlockedZakonRules({
        unprocessed: {
          type: 'pending',
          entities: [pendingRow, stillPendingRow, otherKindRow],
        },
      }),
    ).toEqual([
      {
        ref: 'zakonrule:default/unsigned-rule',
        name: 'unsigned-rule',
        title: 'Unsigned',
        messages: [ourMessage],
        location: 'file:catalog/zakon-rules.yaml',
        observedAt: '2026-05-13 10:04:14',
        state: 'not-ingested',
      },
    ]);
  });

  it('lists stored rules whose newer source was refused', () => {
    const healthy = validActiveRule();
    expect(
      listBlockedZakonRules({ rules: [healthy, storedRuleWithError()] }),
    ).toEqual([
      {
        ref: 'zakonrule:default/blueprint-enforcement',
        name: 'blueprint-enforcement',
        title: undefined,
        messages: ['the rule lost its sha256'],
        location: 'file:catalog/zakon-rules.yaml',
        state: 'last-approved-version-served',
      },
    ]);
    expect(isZakonRuleBlockedInCatalog(healthy)).toBe(false);
    expect(isZakonRuleBlockedInCatalog(storedRuleWithError())).toBe(true);
  });

  it('falls back to the status message when the error is not serialized', () => {
    const rule = storedRuleWithError() as any;
    delete rule.status.items[0].error;
    expect(listBlockedZakonRules({ rules: [rule] })[0].messages).toEqual([
      rule.status.items[0].message,
    ]);
  });

  it('ignores warnings and other status types', () => {
    const rule = storedRuleWithError() as any;
    rule.status.items[0].level = 'warning';
    rule.status.items.push({ type: 'other', level: 'error', message: 'x' });
    expect(listBlockedZakonRules({ rules: [rule] })).toEqual([]);
  });

  it('rejects a response that is not the unprocessed-entities shape', () => {
    expect(() =>
      listBlockedZakonRules({ unprocessed: { items: [] } }),
    ).toThrow();
  });
});
