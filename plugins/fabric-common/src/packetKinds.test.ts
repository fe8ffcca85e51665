import {
  packetKindLabel,
  packetKindPhrase,
  packetKindsPhrase,
} from './packetKinds';

describe('packet kind names', () => {
  it('names the seed kinds as the seeds do, with the right article', () => {
    expect(packetKindPhrase('eval-report')).toBe('an EvalReport packet');
    expect(packetKindPhrase('dataset-manifest')).toBe(
      'a DatasetManifest packet',
    );
    expect(packetKindPhrase('compatibility')).toBe(
      'a compatibility metadata packet',
    );
    expect(packetKindPhrase('other')).toBe('an other packet');
  });

  it('lists several kinds in one phrase', () => {
    expect(
      packetKindsPhrase(['eval-report', 'dataset-manifest', 'compatibility']),
    ).toBe(
      'an EvalReport, a DatasetManifest and a compatibility metadata packet',
    );
    expect(packetKindsPhrase(['compatibility'])).toBe(
      'a compatibility metadata packet',
    );
  });

  it('shows an unknown kind as its id, even one named like an object property', () => {
    expect(packetKindLabel('smoke-test')).toBe('smoke-test');
    expect(packetKindLabel('constructor')).toBe('constructor');
    expect(packetKindLabel('tostring')).toBe('tostring');
    expect(packetKindPhrase('incident-report')).toBe(
      'an incident-report packet',
    );
  });
});
