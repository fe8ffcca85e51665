import type { EvidencePacketView } from '@internal/plugin-evidence-common';
import type { EvidenceApi } from '../api/EvidenceApi';

export function makePacket(
  overrides: Partial<EvidencePacketView> = {},
): EvidencePacketView {
  return {
    id: '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
    source: 'root:samples',
    path: 'evidence/tenants/project-birds/2026-01-02T17:07:50Z',
    key: 'tenants/project-birds/2026-01-02T17:07:50Z',
    area: 'tenants',
    subject: 'project-birds',
    timestamp: '2026-01-02T17:07:50.000Z',
    tenant: 'tenant:default/project-birds',
    entityRefs: ['tenant:default/project-birds'],
    title: 'Birds capacity acceptance',
    result: 'PASS',
    verdict: 'verified',
    reasons: [],
    signatures: [
      {
        file: 'manifest.sha256.asc',
        status: 'valid',
        keyId: '0123456789ABCDEF',
        signer: 'user:default/olivia.operator',
        fingerprint: 'a'.repeat(40),
        keySource: 'registered',
        signedAt: '2026-01-02T17:08:00.000Z',
      },
    ],
    timestamps: [
      {
        file: 'manifest.sha256.tsr',
        status: 'valid',
        time: '2026-01-02T17:08:05.000Z',
        tsa: 'CN=Samakia Time-Stamping Authority',
        authority: 'samakia-tsa',
        hashAlgorithm: 'SHA-256',
      },
    ],
    signers: ['user:default/olivia.operator'],
    requiredSigners: 1,
    manifestFormat: 'sha256sum',
    manifestSha256: 'b'.repeat(64),
    fileCount: 3,
    totalBytes: 300,
    indexedAt: '2026-01-02T17:10:00.000Z',
    verifiedAt: '2026-01-02T17:10:00.000Z',
    files: [
      {
        path: 'summary.md',
        size: 100,
        sha256: 'c'.repeat(64),
        status: 'ok',
        kind: 'summary',
        text: true,
        findings: [],
      },
      {
        path: 'steps/01-accept/stdout.log',
        size: 100,
        sha256: 'd'.repeat(64),
        status: 'ok',
        kind: 'log',
        text: true,
        findings: [],
      },
      {
        path: 'steps/01-accept/stderr.log',
        size: 100,
        sha256: 'e'.repeat(64),
        status: 'ok',
        kind: 'log',
        text: true,
        findings: [{ rule: 'password-assignment', line: 3 }],
      },
    ],
    steps: [
      {
        name: '01-accept',
        exitCode: 0,
        stdout: 'steps/01-accept/stdout.log',
        stderr: 'steps/01-accept/stderr.log',
      },
    ],
    markers: [
      {
        source: 'root:samples',
        path: 'acceptance/PHASE11_ACCEPTED.md',
        title: 'Phase 11 accepted',
      },
    ],
    summary: {
      path: 'summary.md',
      text: '# Birds capacity acceptance\n\nAll checks passed.',
      truncated: false,
      masked: false,
      findings: [],
    },
    ...overrides,
  };
}

export function fakeEvidenceApi(
  overrides: Partial<EvidenceApi> = {},
): jest.Mocked<EvidenceApi> {
  const packet = makePacket();
  return {
    listPackets: jest.fn(async () => ({ items: [packet], total: 1 })),
    getPacket: jest.fn(async () => packet),
    previewFile: jest.fn(async (_id: string, path: string) => ({
      path,
      text: 'step ok\nexit 0\n',
      truncated: false,
      masked: false,
      findings: [],
    })),
    downloadFile: jest.fn(async () => new Blob(['x'])),
    getFacets: jest.fn(async () => ({ areas: ['tenants'] })),
    ...overrides,
  } as jest.Mocked<EvidenceApi>;
}
