import { plane, rule, service, tenant } from '../__testUtils__';
import { canonicalRef, projectEntity } from './projection';

describe('projectEntity', () => {
  it("indexes a plane's VLAN, hosts and environment as canonical lower-case facts", () => {
    const { row, facts } = projectEntity(plane('DNS', 100));
    expect(row).toMatchObject({
      ref: 'plane:default/dns',
      kind: 'plane',
      name: 'dns',
      type: 'network',
      etag: 'e1',
    });
    expect(facts).toEqual(
      expect.arrayContaining([
        { fact: 'vlan', value: '100' },
        { fact: 'environment', value: 'resource:default/samakia-prod' },
        { fact: 'host', value: 'proxmox1' },
        { fact: 'owner', value: 'group:default/platform-operators' },
      ]),
    );
  });

  it('indexes a service by plane ref, host name and failure domain, once each', () => {
    const { facts } = projectEntity(
      service('minio', 'minio', [
        ['minio-1', 'proxmox1'],
        ['minio-2', 'proxmox1'],
      ]),
    );
    const hosts = facts.filter(f => f.fact === 'host').map(f => f.value);
    expect(hosts.sort()).toEqual(['minio-1', 'minio-2', 'proxmox1']);
    expect(facts).toContainEqual({
      fact: 'plane',
      value: 'plane:default/minio',
    });
  });

  it('indexes tenants by provider and service, rules by governed site and status', () => {
    expect(
      projectEntity(
        tenant('t', 'group:default/team-birds', ['postgres', 'rabbitmq']),
      ).facts,
    ).toEqual(
      expect.arrayContaining([
        { fact: 'consumes', value: 'postgres' },
        { fact: 'consumes', value: 'component:default/postgresql' },
        { fact: 'consumes', value: 'rabbitmq' },
      ]),
    );
    expect(projectEntity(rule('r', ['alai-home-web'])).facts).toEqual(
      expect.arrayContaining([
        { fact: 'governs', value: 'component:default/alai-home-web' },
        { fact: 'status', value: 'active' },
      ]),
    );
  });

  it('ignores fields of the wrong shape instead of failing the whole sync', () => {
    const broken = plane('odd', 1);
    broken.spec = {
      network: 'not an object',
      failureDomains: 'proxmox1',
      owner: 42,
    };
    expect(projectEntity(broken).facts).toEqual([]);
  });

  it('reads bare names and full refs of one entity as the same ref', () => {
    expect(canonicalRef('samakia-prod', 'resource')).toBe(
      'resource:default/samakia-prod',
    );
    expect(canonicalRef('Resource:Default/Samakia-Prod', 'resource')).toBe(
      'resource:default/samakia-prod',
    );
    expect(canonicalRef('   ', 'resource')).toBeUndefined();
    expect(canonicalRef(42, 'resource')).toBeUndefined();
  });
});
