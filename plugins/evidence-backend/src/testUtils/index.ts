/**
 * Test helpers for packets made by the real tools (GnuPG homes come from
 * `@internal/fabric-test-utils`): packet folders with a `sha256sum` manifest, and their tar.gz.
 *
 * @packageDocumentation
 */
export { acceptanceFiles, tarGz, writePacket } from './packets';
