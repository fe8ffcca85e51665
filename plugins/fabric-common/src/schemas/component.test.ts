import {
  isFabricServiceEntity,
  isFabricWebsiteEntity,
  parseFabricEntity,
  parseFabricServiceEntity,
  parseFabricWebsiteEntity,
} from '../parse';
import { fabricServicePlaneRef, siteNameSchema } from './component';
import {
  problemsOf,
  validService,
  validWebsite,
  withField,
} from '../testing/fixtures';

describe('service spec.fabric', () => {
  it('accepts a valid service', () => {
    expect(parseFabricServiceEntity(validService())).toEqual({
      success: true,
      data: validService(),
    });
  });

  it('accepts a service without hosts or ports', () => {
    const service = withField(
      withField(validService(), 'spec.fabric.hosts', undefined),
      'spec.fabric.ports',
      undefined,
    );
    expect(parseFabricServiceEntity(service).success).toBe(true);
  });

  it('takes the plane from the annotation when spec.fabric.plane is absent', () => {
    const service = withField(validService(), 'spec.fabric.plane', undefined);
    expect(parseFabricServiceEntity(service).success).toBe(true);
    expect(fabricServicePlaneRef(service as any)).toBe('minio');
  });

  it('takes the plane from spec.fabric.plane when the annotation is absent', () => {
    const service = withField(
      validService(),
      'metadata.annotations',
      undefined,
    );
    expect(parseFabricServiceEntity(service).success).toBe(true);
    expect(fabricServicePlaneRef(service as any)).toBe('minio');
  });

  it('requires a plane somewhere', () => {
    const service = withField(
      withField(validService(), 'metadata.annotations', undefined),
      'spec.fabric.plane',
      undefined,
    );
    expect(problemsOf(parseFabricServiceEntity(service))).toEqual([
      {
        path: 'spec.fabric.plane',
        message:
          'is missing; name the plane the service belongs to here or in the fabric.samakia.io/plane annotation, e.g. plane: dns',
      },
    ]);
  });

  it('rejects an annotation and spec.fabric.plane that disagree', () => {
    const service = withField(validService(), 'spec.fabric.plane', 'plane:dns');
    expect(problemsOf(parseFabricServiceEntity(service))).toEqual([
      {
        path: 'metadata.annotations["fabric.samakia.io/plane"]',
        message:
          'names plane minio but spec.fabric.plane names plane:dns; make both name the same plane',
      },
    ]);
  });

  it('accepts a short and a full ref to the same plane', () => {
    const service = withField(
      validService(),
      'spec.fabric.plane',
      'plane:default/minio',
    );
    expect(parseFabricServiceEntity(service).success).toBe(true);
  });

  it('rejects a plane annotation that is not a plane reference', () => {
    const service = {
      ...validService(),
      metadata: {
        name: 'minio',
        annotations: { 'fabric.samakia.io/plane': 'group:ops' },
      },
    };
    expect(problemsOf(parseFabricServiceEntity(service))).toEqual([
      {
        path: 'metadata.annotations["fabric.samakia.io/plane"]',
        message:
          '"group:ops" points at a group; it must name a Plane, e.g. dns',
      },
    ]);
  });

  it('requires the environment and the acceptance command', () => {
    const service = withField(
      withField(validService(), 'spec.fabric.environment', undefined),
      'spec.fabric.acceptance',
      ' ',
    );
    expect(problemsOf(parseFabricServiceEntity(service))).toEqual([
      {
        path: 'spec.fabric.environment',
        message: 'is missing; add it (expected a text value)',
      },
      {
        path: 'spec.fabric.acceptance',
        message: 'must not be empty; fill it in or remove the field',
      },
    ]);
  });

  it('requires spec.fabric on a component that carries the plane annotation', () => {
    const service = withField(validService(), 'spec.fabric', undefined);
    expect(isFabricServiceEntity(service)).toBe(true);
    expect(problemsOf(parseFabricServiceEntity(service))).toEqual([
      {
        path: 'spec.fabric',
        message: 'is missing; add it (expected an object (a YAML mapping))',
      },
    ]);
  });

  it('checks host addresses, names and duplicates', () => {
    const service = withField(validService(), 'spec.fabric.hosts', [
      {
        name: 'minio-edge-1',
        addresses: ['192.168.11.102', '10.10.140'],
      },
      { name: 'minio-edge-1', addresses: ['10.10.140.3'] },
      { name: 'Minio_2', addresses: [] },
    ]);
    expect(problemsOf(parseFabricServiceEntity(service))).toEqual([
      {
        path: 'spec.fabric.hosts[0].addresses[1]',
        message:
          '"10.10.140" is not an IPv4 address; write four dot-separated numbers from 0 to 255, e.g. 10.10.100.1',
      },
      {
        path: 'spec.fabric.hosts[2].name',
        message:
          '"Minio_2" is not a DNS label; use lower-case letters, digits and \'-\', at most 63 characters, starting and ending with a letter or digit',
      },
      {
        path: 'spec.fabric.hosts[2].addresses',
        message: 'needs at least 1 entry; add one',
      },
      {
        path: 'spec.fabric.hosts[1]',
        message:
          "host 'minio-edge-1' is listed twice; give each host its own name",
      },
    ]);
    const duplicate = withField(validService(), 'spec.fabric.hosts', [
      { name: 'minio-1', addresses: ['10.10.140.11'] },
      { name: 'minio-1', addresses: ['10.10.140.12'] },
    ]);
    expect(problemsOf(parseFabricServiceEntity(duplicate))).toEqual([
      {
        path: 'spec.fabric.hosts[1]',
        message: "host 'minio-1' is listed twice; give each host its own name",
      },
    ]);
  });

  it('rejects duplicate ports', () => {
    const service = withField(validService(), 'spec.fabric.ports', [
      { port: 9000, protocol: 'https' },
      { port: 9000, protocol: 'https' },
    ]);
    expect(problemsOf(parseFabricServiceEntity(service))).toEqual([
      {
        path: 'spec.fabric.ports[1]',
        message: 'port 9000/https is listed twice; list it once',
      },
    ]);
  });

  it('rejects a plane-<x> role tag for another plane', () => {
    const service = withField(validService(), 'spec.fabric.hosts.0.roleTags', [
      'golden-vN',
      'plane-dns',
    ]);
    expect(problemsOf(parseFabricServiceEntity(service))).toEqual([
      {
        path: 'spec.fabric.hosts[0].roleTags[1]',
        message:
          "'plane-dns' does not match the service's plane minio; use plane-minio",
      },
    ]);
  });

  it('ignores plain services without plane annotation or fabric block', () => {
    const plain = withField(
      withField(validService(), 'spec.fabric', undefined),
      'metadata.annotations',
      undefined,
    );
    expect(isFabricServiceEntity(plain)).toBe(false);
    expect(parseFabricEntity(plain)).toBeUndefined();
  });
});

describe('website spec.fabric', () => {
  it('refuses a website whose name breaks the naming convention, naming the field', () => {
    const result = parseFabricWebsiteEntity(
      withField(validWebsite(), 'metadata.name', 'shop-site'),
    );
    expect(result.success).toBe(false);
    expect(JSON.stringify(result)).toContain('metadata.name');
    expect(JSON.stringify(result)).toContain(
      'does not follow the site naming convention',
    );
  });

  it('accepts an existing Pages project under its own name only with the annotation', () => {
    const named = withField(validWebsite(), 'metadata.name', 'bilko-io');
    expect(parseFabricWebsiteEntity(named).success).toBe(false);
    const annotated = withField(named, 'metadata.annotations', {
      'fabric.samakia.io/pages-project': 'bilko-io',
    });
    expect(parseFabricWebsiteEntity(annotated).success).toBe(true);
    // The annotation must name this very project.
    const other = withField(named, 'metadata.annotations', {
      'fabric.samakia.io/pages-project': 'bilko-web',
    });
    expect(parseFabricWebsiteEntity(other).success).toBe(false);
  });

  it('does not bind dynamic apps to the static-site naming rule', () => {
    const app = withField(
      withField(validWebsite(), 'metadata.name', 'bilko-api'),
      'spec.fabric.migrationStatus',
      'not-applicable',
    );
    expect(parseFabricWebsiteEntity(app).success).toBe(true);
  });

  it('accepts a valid website', () => {
    expect(parseFabricWebsiteEntity(validWebsite()).success).toBe(true);
    expect(
      parseFabricWebsiteEntity(
        withField(validWebsite(), 'spec.fabric.framework', undefined),
      ).success,
    ).toBe(true);
  });

  it.each([
    [
      'hostingPlatform',
      'heroku',
      '"heroku" is not allowed; use one of: vercel, cloudflare-pages, netlify, github-pages, other',
    ],
    [
      'framework',
      'hugo',
      '"hugo" is not allowed; use one of: html, next, astro',
    ],
    [
      'migrationStatus',
      'done',
      '"done" is not allowed; use one of: pending, in-progress, migrated, blocked, not-applicable',
    ],
    [
      'domain',
      'https://basicconsulting.no/',
      '"https://basicconsulting.no/" is not a domain name; write it lower-case without scheme or path, e.g. basicconsulting.no',
    ],
  ])('rejects %s %p', (field, value, message) => {
    const site = withField(validWebsite(), `spec.fabric.${field}`, value);
    expect(problemsOf(parseFabricWebsiteEntity(site))).toEqual([
      { path: `spec.fabric.${field}`, message },
    ]);
  });

  it('requires the dns provider', () => {
    const site = withField(
      validWebsite(),
      'spec.fabric.dnsProvider',
      undefined,
    );
    expect(problemsOf(parseFabricWebsiteEntity(site))).toEqual([
      {
        path: 'spec.fabric.dnsProvider',
        message:
          'is missing; name who serves the DNS of basicconsulting.no, e.g. dnsProvider: cloudflare',
      },
    ]);
  });

  const migration = {
    from: 'Vercel',
    to: 'Cloudflare Pages',
    priority: 1,
    downtimeWindow: '0 (DNS already on CF)',
    dependency: 'Find repo',
  };

  it("keeps the site's row of the migration table, priority absent where the table gives -", () => {
    const site = withField(validWebsite(), 'spec.fabric.migration', migration);
    expect(parseFabricWebsiteEntity(site)).toMatchObject({
      success: true,
      data: { spec: { fabric: { migration } } },
    });
    const noPriority = withField(
      site,
      'spec.fabric.migration.priority',
      undefined,
    );
    expect(parseFabricWebsiteEntity(noPriority).success).toBe(true);
  });

  it.each([
    [
      'priority',
      0,
      'must be 1 (immediate), 2 (planned) or 3 (blocked/external); leave it out where the table gives -',
    ],
    [
      'priority',
      '-',
      'must be 1 (immediate), 2 (planned) or 3 (blocked/external); leave it out where the table gives -',
    ],
    ['dependency', ' ', 'must not be empty; fill it in or remove the field'],
  ])('names the migration field %s %p', (field, value, message) => {
    const site = withField(
      withField(validWebsite(), 'spec.fabric.migration', migration),
      `spec.fabric.migration.${field}`,
      value,
    );
    expect(problemsOf(parseFabricWebsiteEntity(site))).toEqual([
      { path: `spec.fabric.migration.${field}`, message },
    ]);
  });

  it('refuses a migration row without its downtime window, and unknown columns', () => {
    const { downtimeWindow, ...rest } = migration;
    expect(downtimeWindow).toBeDefined();
    const missing = withField(validWebsite(), 'spec.fabric.migration', rest);
    expect(problemsOf(parseFabricWebsiteEntity(missing))[0].path).toBe(
      'spec.fabric.migration.downtimeWindow',
    );
    const extra = withField(validWebsite(), 'spec.fabric.migration', {
      ...migration,
      owner: 'someone',
    });
    expect(parseFabricWebsiteEntity(extra).success).toBe(false);
  });

  it('lets only a dynamic service without a domain leave the domain out', () => {
    const noDomain = withField(
      withField(validWebsite(), 'spec.fabric.domain', undefined),
      'spec.fabric.dnsProvider',
      undefined,
    );
    expect(problemsOf(parseFabricWebsiteEntity(noDomain))).toEqual([
      {
        path: 'spec.fabric.domain',
        message:
          'is missing; a site that moves needs its domain, e.g. domain: basicconsulting.no',
      },
    ]);
    const service = withField(
      withField(noDomain, 'spec.fabric.migrationStatus', 'not-applicable'),
      'metadata.name',
      'bilko-api',
    );
    expect(parseFabricWebsiteEntity(service).success).toBe(true);
  });

  it('treats websites without a fabric block as plain components', () => {
    const plain = withField(validWebsite(), 'spec.fabric', undefined);
    expect(isFabricWebsiteEntity(plain)).toBe(false);
    expect(parseFabricEntity(plain)).toBeUndefined();
  });
});

describe('site naming convention', () => {
  it.each(['alai-shop-web', 'client-kenyhot-web', 'alai-getdrop-app-web'])(
    'accepts %s',
    name => {
      expect(siteNameSchema.safeParse(name).success).toBe(true);
    },
  );

  it.each([
    'shop-web',
    'alai-shop',
    'Alai-Shop-web',
    'client--web',
    'alai-shop-web-',
  ])('refuses %s and says what the convention is', name => {
    const result = siteNameSchema.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toContain(
      'alai-<product>-web for ALAI properties or client-<slug>-web',
    );
  });
});
