import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import { tenantsConsuming } from './consumers';

const dir = path.resolve(__dirname, '../../../../catalog');
const entities = fs
  .readdirSync(dir)
  .filter(f => f.endsWith('.yaml'))
  .flatMap(f =>
    parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(
      d => d.toJS() as Entity,
    ),
  )
  .filter(Boolean)
  .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }));

describe('tenantsConsuming on the repository catalog', () => {
  it('lets every tenant consume the DNS plane: their endpoints are in the zone it serves', () => {
    expect(tenantsConsuming(entities, 'plane:default/dns')).toEqual([
      'tenant:default/project-birds',
      'tenant:default/project-harbor',
      'tenant:default/project-orchard',
    ]);
  });

  it('has no tenant consume the MinIO plane or service (it holds Terraform state only)', () => {
    expect(tenantsConsuming(entities, 'plane:default/minio')).toEqual([]);
    expect(tenantsConsuming(entities, 'component:default/minio')).toEqual([]);
  });

  it("follows consumers and bindings to Samakia's own substrate executors", () => {
    expect(
      tenantsConsuming(entities, 'component:default/samakia-executor-postgres'),
    ).toEqual([
      'tenant:default/project-birds',
      'tenant:default/project-harbor',
    ]);
    expect(
      tenantsConsuming(entities, 'component:default/samakia-executor-mariadb'),
    ).toEqual(['tenant:default/project-orchard']);
  });

  it("has no Samakia tenant consume 254Carbon's PostgreSQL or its data-services plane", () => {
    expect(tenantsConsuming(entities, 'component:default/postgresql')).toEqual(
      [],
    );
    expect(tenantsConsuming(entities, 'plane:default/data-services')).toEqual(
      [],
    );
  });
});
