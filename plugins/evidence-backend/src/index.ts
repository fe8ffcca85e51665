/**
 * Evidence backend: indexes evidence packets from filesystem roots and CI
 * uploads, verifies manifests, OpenPGP signatures and redaction, and serves
 * summaries and files safely.
 *
 * @packageDocumentation
 */

export { evidencePlugin as default } from './plugin';
