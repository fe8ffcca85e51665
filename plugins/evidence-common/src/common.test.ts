import {
  packetKey,
  parseEvidenceAnnotation,
  parsePacketTimestamp,
} from './layout';
import {
  jsonManifestSchema,
  packetListQuerySchema,
  uploadQuerySchema,
} from './schemas';
import { verdictOf } from './verdicts';

describe('packet timestamps', () => {
  it.each([
    ['2026-01-02T17:07:50Z', '2026-01-02T17:07:50.000Z'],
    ['2026-01-02T17-07-50Z', '2026-01-02T17:07:50.000Z'],
    ['20260102T170750Z', '2026-01-02T17:07:50.000Z'],
    ['2026-01-02T17:07:50.123456Z', '2026-01-02T17:07:50.123Z'],
  ])('reads %s', (name, iso) => {
    expect(parsePacketTimestamp(name)).toBe(iso);
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-01-02T17:07:50',
    'latest',
    '2026-01-02',
  ])('refuses %s', name => expect(parsePacketTimestamp(name)).toBeUndefined());

  it('names the key markers cite', () => {
    expect(
      packetKey({
        area: 'tenants',
        subject: 'project-birds',
        timestamp: '2026-01-02T17:07:50.000Z',
      }),
    ).toBe('tenants/project-birds/2026-01-02T17:07:50Z');
  });
});

describe('verdicts', () => {
  it('is verified without reasons and otherwise the worst reason', () => {
    expect(verdictOf([])).toBe('verified');
    expect(verdictOf([{ code: 'signature-missing' }])).toBe('unsigned');
    expect(
      verdictOf([{ code: 'signature-missing' }, { code: 'file-extra' }]),
    ).toBe('incomplete');
    expect(verdictOf([{ code: 'file-extra' }, { code: 'secret-found' }])).toBe(
      'redaction-failed',
    );
    expect(
      verdictOf([{ code: 'secret-found' }, { code: 'file-modified' }]),
    ).toBe('tampered');
  });
});

describe('schemas', () => {
  it('parses an upload query and names a bad field', () => {
    expect(
      uploadQuerySchema.parse({
        area: 'tenants',
        subject: 'project-birds/',
        timestamp: '2026-01-02T17:07:50Z',
      }),
    ).toEqual({
      area: 'tenants',
      subject: 'project-birds',
      timestamp: '2026-01-02T17:07:50.000Z',
    });
    const bad = uploadQuerySchema.safeParse({
      area: '../etc',
      timestamp: 'now',
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map(i => i.path.join('.'))).toEqual([
      'area',
      'timestamp',
    ]);
  });

  it('makes a date-only "to" include the whole day', () => {
    expect(
      packetListQuerySchema.parse({ from: '2026-01-02', to: '2026-01-02' }),
    ).toMatchObject({
      from: '2026-01-02T00:00:00.000Z',
      to: '2026-01-03T00:00:00.000Z',
      limit: 100,
    });
  });

  it('accepts both shapes of the JSON manifest', () => {
    const digest = 'A'.repeat(64);
    expect(
      jsonManifestSchema.parse({ files: [{ path: 'a', sha256: digest }] })
        .files,
    ).toEqual([{ path: 'a', sha256: 'a'.repeat(64) }]);
    expect(jsonManifestSchema.parse({ files: { a: digest } }).files).toEqual({
      a: 'a'.repeat(64),
    });
  });

  it('reads the evidence annotation', () => {
    expect(
      parseEvidenceAnnotation(
        'milestones/phase1-12, evidence/images/vm/ drift',
      ),
    ).toEqual([
      { area: 'milestones', subjectPrefix: 'phase1-12' },
      { area: 'images', subjectPrefix: 'vm' },
      { area: 'drift' },
    ]);
    expect(parseEvidenceAnnotation('../x')).toEqual([]);
  });
});
