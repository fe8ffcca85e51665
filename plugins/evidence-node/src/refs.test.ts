import { DeferredServiceRegistry } from '@internal/plugin-fabric-node';
import { Readable } from 'node:stream';
import {
  createDelegatingEvidenceService,
  EVIDENCE_NOT_INSTALLED_MESSAGE,
} from './refs';
import { EvidenceService } from './service';

const credentials = { $$type: '@backstage/BackstageCredentials' } as any;

describe('createDelegatingEvidenceService', () => {
  it('passes each call with its arguments to the registered implementation', async () => {
    const implementation: EvidenceService = {
      packets: {
        list: jest.fn(async () => ({ items: [], total: 0 })),
        preview: jest.fn(async () => ({
          path: 'packet.json',
          text: '{}',
          truncated: false,
          masked: false,
          findings: [],
        })),
        upload: jest.fn(),
      },
      summary: jest.fn(async () => undefined),
    };
    const registry = new DeferredServiceRegistry<EvidenceService>(
      'evidence',
      EVIDENCE_NOT_INSTALLED_MESSAGE,
    );
    const service = createDelegatingEvidenceService(registry);
    const early = service.packets.list({ area: 'sdn' }, { credentials });
    registry.register(implementation);
    await expect(early).resolves.toEqual({ items: [], total: 0 });
    expect(implementation.packets.list).toHaveBeenCalledWith(
      { area: 'sdn' },
      { credentials },
    );
    await service.packets.preview('p1', 'packet.json', { credentials });
    expect(implementation.packets.preview).toHaveBeenCalledWith(
      'p1',
      'packet.json',
      { credentials },
    );
    await expect(service.summary('p2')).resolves.toBeUndefined();
    expect(implementation.summary).toHaveBeenCalledWith('p2');
  });

  it('fails with the fix when the evidence backend is not installed', async () => {
    const registry = new DeferredServiceRegistry<EvidenceService>(
      'evidence',
      EVIDENCE_NOT_INSTALLED_MESSAGE,
    );
    registry.backendStarted();
    await expect(
      createDelegatingEvidenceService(registry).packets.upload(
        Readable.from([]),
        { area: 'x', timestamp: '2026-01-02T17:07:50Z' },
        { credentials },
      ),
    ).rejects.toThrow('@internal/plugin-evidence-backend');
  });
});
