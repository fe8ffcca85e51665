import fs from 'node:fs';
import path from 'node:path';
import {
  CONSUMER_PROVIDERS,
  FABRIC_ANNOTATION_REQUIRED_PERMISSION,
  CONSUMER_VARIANTS,
  HOSTING_PLATFORMS,
  SITE_FRAMEWORKS,
  ZAKON_ENFORCEMENT_LAYERS,
  tenantQuotasSchema,
  websiteFabricSpecSchema,
  zakonRuleSpecSchema,
} from '@internal/plugin-fabric-common';
import {
  PACKET_KINDS,
  newTenantChangeSchema,
} from '@internal/plugin-approvals-common';
import { parse } from 'yaml';
import { DOCUMENT_TEMPLATES } from './domain/documents';
import {
  phantomRemovalParamsSchema,
  siteRollbackParamsSchema,
} from './guarded/operations';
import { SITE_NAME_PATTERN } from './domain/site';
import { toActionJsonSchema } from './lib/fabricAction';

// The forms in templates/ are JSON Schema written in YAML; these checks keep every
// constrained field equal to the domain schema it stands for, so a change in fabric-common
// (a new provider, a stricter pattern) fails here until the form follows.

const templatesDir = path.resolve(__dirname, '../../../templates');
const template = (name: string) =>
  parse(
    fs.readFileSync(path.join(templatesDir, name, 'template.yaml'), 'utf8'),
  );
/** All form properties of a template, by name, across its parameter steps and dependencies. */
function fields(name: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const step of template(name).spec.parameters) {
    Object.assign(out, step.properties);
    for (const dep of Object.values<any>(step.dependencies ?? {})) {
      for (const branch of dep.oneOf ?? [])
        Object.assign(out, branch.properties);
    }
  }
  return out;
}

const json = (schema: any) => toActionJsonSchema(schema, 'input') as any;
const quotaJson = json(tenantQuotasSchema).properties;
const ruleJson = json(zakonRuleSpecSchema).properties;

function expectQuotaForm(form: any) {
  expect(Object.keys(form.properties)).toEqual(Object.keys(quotaJson));
  for (const [key, domain] of Object.entries<any>(quotaJson)) {
    expect({
      key,
      title: form.properties[key].title,
      type: form.properties[key].type,
      minimum: form.properties[key].minimum,
    }).toEqual({
      key,
      title: domain.title,
      type: domain.type,
      minimum: domain.minimum,
    });
  }
}

describe('template forms follow the domain schemas', () => {
  it('tenant-proposal', () => {
    const f = fields('tenant-proposal');
    expectQuotaForm(f.quotas);
    // Edited by the form fields of plugins/scaffolder-module-fabric.
    expect(f.quotas['ui:field']).toBe('FabricTenantQuotas');
    expect(f.binding['ui:field']).toBe('FabricTenantBinding');
    expect(f.binding.properties.consumer.enum).toEqual([...CONSUMER_PROVIDERS]);
    expect(f.binding.properties.action.enum).toEqual([
      'add',
      'replace',
      'remove',
    ]);
    // Cited packets and drift runs, picked from the tenant's own (and checked again on submit).
    expect(f.packets['ui:field']).toBe('FabricEvidencePackets');
    expect(f.packets.items.properties.kind.enum).toEqual([...PACKET_KINDS]);
    expect(f.driftRuns['ui:field']).toBe('FabricDriftRuns');
    const submit = template('tenant-proposal').spec.steps.find(
      (s: any) => s.action === 'fabric:proposal:submit',
    );
    expect(submit.input).toMatchObject({
      packets: '${{ parameters.packets }}',
      driftRuns: '${{ parameters.driftRuns }}',
    });
  });

  it('new-tenant', () => {
    const f = fields('new-tenant');
    expect(f.name['ui:options'].pattern).toBe(
      json(newTenantChangeSchema).properties.name.pattern,
    );
    expectQuotaForm(f.quotas);
    expect(f.quotas.required).toEqual(Object.keys(quotaJson));
    expect(f.consumers.items.properties.provider.enum).toEqual([
      ...CONSUMER_PROVIDERS,
    ]);
    expect(f.consumers.items.properties.variant.enum).toEqual([
      ...CONSUMER_VARIANTS,
    ]);
    expect(f.bindings.items.properties.consumer.enum).toEqual([
      ...CONSUMER_PROVIDERS,
    ]);
    expect(f.executeAllowlist.items.properties.provider.enum).toEqual([
      ...CONSUMER_PROVIDERS,
    ]);
    expect(f.executeAllowlist.items.properties.variant.enum).toEqual([
      ...CONSUMER_VARIANTS,
    ]);
  });

  it('new-site', () => {
    const f = fields('new-site');
    expect(f.name['ui:options'].pattern).toBe(SITE_NAME_PATTERN.source);
    expect(f.framework.enum).toEqual([...SITE_FRAMEWORKS]);
    // Same choices; the form lists the default first.
    expect([...f.hostingPlatform.enum].sort()).toEqual(
      [...HOSTING_PLATFORMS].sort(),
    );
    expect(f.domain['ui:options'].pattern).toBe(
      json(websiteFabricSpecSchema).properties.domain.pattern,
    );
  });

  it('new-zakon-rule', () => {
    const f = fields('new-zakon-rule');
    expect(f.id['ui:options'].pattern).toBe(ruleJson.id.pattern);
    expect(f.trackingTask['ui:options'].pattern).toBe(
      ruleJson.trackingTask.pattern,
    );
    expect(f.escapeValveVariable['ui:options'].pattern).toBe(
      ruleJson.escapeValve.properties.variable.pattern,
    );
    expect(f.enforcement.items.enum).toEqual([...ZAKON_ENFORCEMENT_LAYERS]);
  });

  it('new-runbook: one document folder per document template', () => {
    const f = fields('new-runbook');
    expect(f.documents.items.enum).toEqual(DOCUMENT_TEMPLATES.map(d => d.id));
    for (const doc of DOCUMENT_TEMPLATES) {
      expect(
        fs.existsSync(
          path.join(
            templatesDir,
            'new-runbook/documents',
            doc.id,
            `${doc.id}.md`,
          ),
        ),
      ).toBe(true);
    }
  });

  it('site-rollback and phantom-domain-removal: the guarded parameters', () => {
    const rollback = json(siteRollbackParamsSchema).properties;
    const f = fields('site-rollback');
    expect(f.project['ui:options'].pattern).toBe(rollback.project.pattern);
    expect(f.deploymentId['ui:options'].pattern).toBe(
      rollback.deploymentId.pattern,
    );
    const removal = json(phantomRemovalParamsSchema).properties;
    const g = fields('phantom-domain-removal');
    for (const key of ['phantom', 'real', 'authoritativeProject']) {
      expect({ key, pattern: g[key]['ui:options'].pattern }).toEqual({
        key,
        pattern: removal[key].pattern,
      });
    }
    // Both run only through the guarded action (after the permission check).
    for (const name of ['site-rollback', 'phantom-domain-removal']) {
      expect(
        template(name).spec.steps.map((s: { action: string }) => s.action),
      ).toEqual(['fabric:permission:check', 'fabric:guarded:run']);
    }
  });

  it('every pattern-checked field says its rule in words (FabricText), never as a regex', () => {
    const schemaPatterns: string[] = [];
    const patterned: Array<{ where: string; field: Record<string, any> }> = [];
    const walk = (where: string, node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const field = node as Record<string, any>;
      // A JSON-schema pattern would reach the user as a raw regular expression.
      if (typeof field.pattern === 'string') schemaPatterns.push(where);
      if (typeof field['ui:options']?.pattern === 'string') {
        patterned.push({ where, field });
      }
      for (const [key, value] of Object.entries(field)) {
        if (key !== 'ui:options') walk(`${where}.${key}`, value);
      }
    };
    for (const name of fs.readdirSync(templatesDir)) {
      const file = path.join(templatesDir, name, 'template.yaml');
      if (fs.existsSync(file)) walk(name, template(name).spec.parameters);
    }
    expect(schemaPatterns).toEqual([]);
    // The walk found the fields it is about (a broken walk would check nothing).
    expect(patterned.map(p => p.where)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^new-site\..*\.name$/),
        expect.stringMatching(/^tenant-proposal\..*\.changeRef$/),
        expect.stringMatching(/^site-rollback\..*\.deploymentId$/),
      ]),
    );
    for (const { where, field } of patterned) {
      const options = field['ui:options'];
      expect({
        where,
        field: field['ui:field'],
        hideError: options.hideError,
        compiles: (() => {
          try {
            return new RegExp(options.pattern, 'u') instanceof RegExp;
          } catch {
            return false;
          }
        })(),
        // A hint shows an example and never the expression itself.
        hint: options.patternHint,
      }).toEqual({
        where,
        field: 'FabricText',
        hideError: true,
        compiles: true,
        hint: expect.stringMatching(/^(?!.*[\^$]|.*\[a-z).*(e\.g\.|such as)/),
      });
    }
  });

  it('the Review step lists every picked value by title, through display-only fields no step reads', () => {
    // Pickers store refs and uuids; the Review step would list those as they are.
    const PICKERS = [
      'FabricEntityPicker',
      'FabricEvidencePackets',
      'FabricDriftRuns',
    ];
    const DISPLAY_ONLY = ['FabricReviewValue', 'FabricChangeDifference'];
    const names = fs
      .readdirSync(templatesDir)
      .filter(n => fs.existsSync(path.join(templatesDir, n, 'template.yaml')));
    // What each template has, and what it should have, per field (one comparison at the end).
    const pickers: object[] = [];
    const pickersExpected: object[] = [];
    const displays: object[] = [];
    const displaysExpected: object[] = [];
    for (const name of names) {
      const t = template(name);
      const steps =
        JSON.stringify(t.spec.steps) + JSON.stringify(t.spec.output);
      t.spec.parameters.forEach((step: any, index: number) => {
        const own: Record<string, any> = {
          ...step.properties,
          ...Object.assign(
            {},
            ...Object.values<any>(step.dependencies ?? {}).flatMap(dep =>
              (dep.oneOf ?? []).map((branch: any) => branch.properties),
            ),
          ),
        };
        for (const [key, field] of Object.entries(own)) {
          const where = `${name} step ${index + 1}: ${key}`;
          const picked = JSON.stringify(field).match(
            new RegExp(`"ui:field":"(${PICKERS.join('|')})"`),
          );
          if (picked) {
            // Hidden from the Review, and named instead by a display field of the same step.
            const shownBy = Object.entries(own).find(
              ([, f]) =>
                f['ui:field'] === 'FabricReviewValue' &&
                f['ui:options']?.of === key,
            );
            pickers.push({
              where,
              review: field['ui:backstage']?.review?.show,
              shownBy: shownBy?.[0],
            });
            pickersExpected.push({
              where,
              review: false,
              shownBy: `${key}ForReview`,
            });
          }
          if (DISPLAY_ONLY.includes(field['ui:field'])) {
            displays.push({
              where,
              hidden: field['ui:widget'],
              readByAStep: steps.includes(`parameters.${key}`),
            });
            displaysExpected.push({
              where,
              hidden: 'hidden',
              readByAStep: false,
            });
          }
        }
      });
    }
    expect(pickers).toEqual(pickersExpected);
    expect(displays).toEqual(displaysExpected);
    // The walk found the pickers it is about (a broken walk would check nothing).
    expect(pickers.map((p: any) => p.where)).toEqual(
      expect.arrayContaining([
        'tenant-proposal step 1: tenant',
        'tenant-proposal step 1: environment',
        'tenant-proposal step 1: packets',
        'tenant-proposal step 1: driftRuns',
        'new-tenant step 3: bindings',
      ]),
    );
  });

  it('every template names the permission it needs and checks it before any other step', () => {
    const names = fs
      .readdirSync(templatesDir)
      .filter(n => fs.existsSync(path.join(templatesDir, n, 'template.yaml')));
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) {
      const t = template(name);
      expect({
        name,
        permission:
          t.metadata.annotations?.[FABRIC_ANNOTATION_REQUIRED_PERMISSION],
        first: t.spec.steps[0].action,
        checks: t.spec.steps.filter(
          (s: { action: string }) => s.action === 'fabric:permission:check',
        ).length,
      }).toEqual({
        name,
        permission: expect.stringMatching(/^[a-zA-Z]+\.[a-z]+\.[a-z]+$/),
        first: 'fabric:permission:check',
        checks: 1,
      });
    }
    // A tenant chooses the tenant in the form; the check is made on it.
    expect(template('tenant-proposal').spec.steps[0].input).toEqual({
      tenant: '${{ parameters.tenant }}',
    });
  });
});
