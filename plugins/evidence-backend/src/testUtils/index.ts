/**
 * Test helpers for packets made by the real tools: a throw-away GnuPG home
 * (`gpg`), packet folders with a `sha256sum` manifest, and their tar.gz.
 *
 * @packageDocumentation
 */
export { GpgHome, acceptanceFiles, tarGz, writePacket } from './packets';
