/**
 * Test helpers for packets made by the real tools (GnuPG homes come from
 * `@internal/fabric-test-utils`): packet folders with a `sha256sum` manifest, their tar.gz, and
 * an RFC 3161 time-stamping authority run by OpenSSL, Olivia's registered key, and the evidence
 * service over a test root.
 *
 * @packageDocumentation
 */
export { acceptanceFiles, tarGz, writePacket } from './packets';
export { TestTsa } from './tsa';
export { testSettings } from './settings';
export { startS3Server } from './s3';
export {
  keyringOf,
  OLIVIA,
  testEvidenceService,
  useOliviaSigner,
  useSigners,
} from './signer';
