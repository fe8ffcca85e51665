/**
 * The one OpenPGP signing-key registry of approvals and evidence: registration with proof of
 * possession, one owner per fingerprint, revocation and an audit trail.
 *
 * @packageDocumentation
 */
export { signingKeysPlugin as default } from './plugin';
export {
  createSigningKeysServiceFactory,
  openSigningKeyRegistry,
  signingKeysServiceFactory,
  SIGNING_KEYS_PLUGIN_ID,
} from './serviceFactory';
export {
  SigningKeyRegistry,
  CHALLENGE_TTL_MS,
} from './service/SigningKeyRegistry';
