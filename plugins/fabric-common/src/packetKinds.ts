/**
 * How the portal names evidence packet kinds to people. The API, config and packet.json keep
 * the ids (`eval-report`); messages and pages use the words of the seeds (seed 004: an
 * EvalReport, a DatasetManifest, compatibility metadata). A kind the portal does not know
 * (packet.json may declare any lower-case id) is shown as its id.
 */
const LABELS = new Map<string, string>([
  ['eval-report', 'EvalReport'],
  ['dataset-manifest', 'DatasetManifest'],
  ['compatibility', 'compatibility metadata'],
  ['plan', 'plan'],
  ['verification', 'verification'],
  ['other', 'other'],
]);

/** `EvalReport` for `eval-report`; an unknown kind as it is. */
export function packetKindLabel(kind: string): string {
  return LABELS.get(kind) ?? kind;
}

/** `an EvalReport packet`, `a compatibility metadata packet`. */
export function packetKindPhrase(kind: string): string {
  const label = packetKindLabel(kind);
  return `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label} packet`;
}

/** `an EvalReport, a DatasetManifest and a compatibility metadata packet`. */
export function packetKindsPhrase(kinds: readonly string[]): string {
  const phrases = kinds.map(k => packetKindPhrase(k).replace(/ packet$/, ''));
  const list =
    phrases.length > 1
      ? `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`
      : phrases.join('');
  return `${list} packet`;
}
