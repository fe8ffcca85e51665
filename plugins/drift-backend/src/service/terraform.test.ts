import fs from 'node:fs';
import path from 'node:path';
import { driftRunSubmissionSchema } from '@internal/plugin-drift-common';
import { mapTerraformPlan, shortProviderName } from './terraform';

// A plan of the MinIO plane as `terraform show -json drift.tfplan` prints it
// (Terraform 1.9, format 1.2): one line, struct fields in Terraform's order,
// attribute keys sorted, sensitive values in plain text with their marks.
const fixture = fs.readFileSync(
  path.join(__dirname, '../__fixtures__/terraform-show-drift.json'),
  'utf8',
);
const plan = JSON.parse(fixture);
const verdicts = {
  modified: 'WARN',
  missing: 'FAIL',
  unmanaged: 'WARN',
} as const;

describe('mapTerraformPlan', () => {
  it('maps every resource_drift entry onto a finding', () => {
    const mapped = mapTerraformPlan(plan, verdicts);
    expect(mapped.terraformVersion).toBe('1.9.8');
    expect(mapped.timestamp).toBe('2026-11-20T05:40:12Z');
    expect(mapped.providers).toEqual(['minio', 'proxmox']);
    expect(mapped.findings).toEqual([
      {
        provider: 'minio',
        resource: 'minio_iam_user.ci',
        resourceType: 'minio_iam_user',
        class: 'modified',
        verdict: 'WARN',
        declared: {
          disable_user: false,
          secret: '(sensitive)',
          status: 'enabled',
        },
        observed: {
          disable_user: true,
          secret: '(sensitive)',
          status: 'disabled',
        },
        message: 'Changed outside Terraform: disable_user, secret, status',
      },
      {
        provider: 'minio',
        resource: 'minio_s3_bucket.tfstate',
        resourceType: 'minio_s3_bucket',
        class: 'missing',
        verdict: 'FAIL',
        declared: expect.objectContaining({
          bucket: 'samakia-tfstate',
          object_locking: true,
        }),
        observed: null,
        message:
          'Deleted outside Terraform: recorded in the state, no longer found',
      },
      {
        provider: 'proxmox',
        resource: 'module.minio_edge.proxmox_virtual_environment_vm.edge[0]',
        resourceType: 'proxmox_virtual_environment_vm',
        class: 'modified',
        verdict: 'WARN',
        declared: {
          memory: [
            {
              dedicated: 4096,
              floating: 0,
              hugepages: '',
              keep_hugepages: false,
              shared: 0,
            },
          ],
          tags: ['golden-v3', 'plane-minio', 'role-edge'],
        },
        observed: {
          memory: [
            {
              dedicated: 8192,
              floating: 0,
              hugepages: '',
              keep_hugepages: false,
              shared: 0,
            },
          ],
          tags: ['golden-v3', 'hotfix', 'plane-minio', 'role-edge'],
        },
        message: 'Changed outside Terraform: memory, tags',
      },
    ]);
    // The plan carries the MinIO user's secret in plain text; no finding does.
    expect(JSON.stringify(mapped.findings)).not.toContain(
      'w3Jk9pQ2vL8xN5rT1yZ6aB4cD7eF0gH',
    );
    expect(JSON.stringify(mapped.findings)).not.toContain(
      'Zq8Wm2Lp5Rt9Xv3Nc6Bk1Hj4Gf7Ds0A',
    );
  });

  it('produces findings the run schema accepts', () => {
    const mapped = mapTerraformPlan(plan, verdicts);
    const run = driftRunSubmissionSchema.safeParse({
      source: 'terraform/minio',
      environment: 'samakia-prod',
      entity: 'plane:minio',
      observedAt: mapped.timestamp,
      findings: mapped.findings,
      providers: mapped.providers,
    });
    expect(run.success).toBe(true);
  });

  it('uses the configured verdicts', () => {
    const mapped = mapTerraformPlan(plan, {
      modified: 'FAIL',
      missing: 'WARN',
      unmanaged: 'PASS',
    });
    expect(mapped.findings.map(f => [f.class, f.verdict])).toEqual([
      ['modified', 'FAIL'],
      ['missing', 'WARN'],
      ['modified', 'FAIL'],
    ]);
  });

  it('reads a plan without drift as nothing differs, with the providers it covers', () => {
    const { resource_drift: _drift, ...clean } = plan;
    const mapped = mapTerraformPlan(clean, verdicts);
    expect(mapped.findings).toEqual([]);
    expect(mapped.providers).toEqual(['minio', 'proxmox']);
  });

  it('maps resources created outside Terraform and moves in refresh-only plans', () => {
    const entry = plan.resource_drift[1];
    const mapped = mapTerraformPlan(
      {
        ...plan,
        resource_drift: [
          {
            ...entry,
            change: {
              ...entry.change,
              actions: ['create'],
              before: null,
              after: entry.change.before,
            },
          },
          {
            ...entry,
            address: 'minio_s3_bucket.state',
            previous_address: 'minio_s3_bucket.tfstate',
            change: { ...entry.change, actions: ['no-op'] },
          },
          { ...entry, mode: 'data', type: 'minio_s3_object', name: 'x' },
        ],
      },
      verdicts,
    );
    expect(
      mapped.findings.map(f => [f.resource, f.class, f.verdict, f.message]),
    ).toEqual([
      [
        'minio_s3_bucket.tfstate',
        'unmanaged',
        'WARN',
        'Created outside Terraform',
      ],
      [
        'minio_s3_bucket.state',
        'in-sync',
        'PASS',
        'Moved from minio_s3_bucket.tfstate; no attribute differs',
      ],
    ]);
  });

  it('refuses what is not a usable plan, saying what to post instead', () => {
    expect(() => mapTerraformPlan([], verdicts)).toThrow(
      'terraform show -json <planfile>',
    );
    expect(() =>
      mapTerraformPlan(
        {
          format_version: '1.0',
          terraform_version: '1.9.8',
          values: { root_module: {} },
        },
        verdicts,
      ),
    ).toThrow('This is a Terraform state, not a plan');
    expect(() =>
      mapTerraformPlan({ ...plan, errored: true }, verdicts),
    ).toThrow('The Terraform plan errored');
    expect(() =>
      mapTerraformPlan({ ...plan, format_version: '0.2' }, verdicts),
    ).toThrow(/format_version: must be a Terraform JSON format version 1\.x/);
    expect(() =>
      mapTerraformPlan(
        {
          ...plan,
          resource_drift: [
            { ...plan.resource_drift[0], change: { actions: ['explode'] } },
          ],
        },
        verdicts,
      ),
    ).toThrow(/resource_drift\[0\]\.change\.actions\[0\]/);
  });

  it('refuses a document that is neither a plan nor a state, saying what it expected', () => {
    // What terraform show -json prints for an empty workspace or after a destroy.
    for (const empty of [
      { format_version: '1.0' },
      { format_version: '1.2', terraform_version: '1.9.8' },
    ]) {
      expect(() => mapTerraformPlan(empty, verdicts)).toThrow(
        /neither a plan nor a state: it has none of planned_values, resource_changes, resource_drift.*Expected the plan/,
      );
    }
  });

  describe('null against an empty collection (the AWS provider tags)', () => {
    const bucket = plan.resource_drift[1];
    const tagsDrift = (before: unknown, after: unknown, extra = {}) => ({
      ...plan,
      resource_drift: [
        {
          ...bucket,
          address: 'aws_s3_bucket.logs',
          type: 'aws_s3_bucket',
          provider_name: 'registry.terraform.io/hashicorp/aws',
          change: {
            actions: ['update'],
            before: { bucket: 'logs', tags: before, ...extra },
            after: { bucket: 'logs', tags: after },
            before_sensitive: {},
            after_sensitive: {},
          },
        },
      ],
    });

    it.each([
      ['null and {}', null, {}],
      ['{} and null', {}, null],
      ['null and []', null, []],
      ['a missing member and {}', undefined, {}],
      ['nested null and []', { a: null }, { a: [] }],
    ])('is no change by default: %s', (_label, before, after) => {
      const [finding] = mapTerraformPlan(
        tagsDrift(before, after),
        verdicts,
      ).findings;
      expect(finding).toMatchObject({
        resource: 'aws_s3_bucket.logs',
        class: 'in-sync',
        verdict: 'PASS',
      });
    });

    it('is a change when drift.terraform.nullEqualsEmpty is false', () => {
      const [finding] = mapTerraformPlan(tagsDrift(null, {}), verdicts, {
        nullEqualsEmpty: false,
      }).findings;
      expect(finding).toMatchObject({
        class: 'modified',
        verdict: 'WARN',
        message: 'Changed outside Terraform: tags',
        declared: { tags: null },
        observed: { tags: {} },
      });
    });

    it('still reports the attributes that really differ, without the empty ones', () => {
      const [finding] = mapTerraformPlan(
        tagsDrift(null, {}, { versioning: true }),
        verdicts,
      ).findings;
      expect(finding).toMatchObject({
        class: 'modified',
        message: 'Changed outside Terraform: versioning',
      });
    });

    it('does not count an empty value against a real one', () => {
      const [finding] = mapTerraformPlan(
        tagsDrift({}, { owner: 'ops' }),
        verdicts,
      ).findings;
      expect(finding).toMatchObject({
        class: 'modified',
        message: 'Changed outside Terraform: tags',
      });
    });
  });

  it('shortens provider addresses', () => {
    expect(shortProviderName('registry.terraform.io/bpg/proxmox')).toBe(
      'proxmox',
    );
    expect(shortProviderName('registry.opentofu.org/hashicorp/aws')).toBe(
      'aws',
    );
    expect(shortProviderName('provider.aws')).toBe('aws');
    expect(shortProviderName('aws')).toBe('aws');
  });
});
