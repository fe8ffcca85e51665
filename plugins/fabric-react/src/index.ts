/**
 * Frontend helpers shared by the Fabric plugins (approvals, evidence, drift, fabric).
 *
 * @packageDocumentation
 */
export {
  FabricBackendClient,
  queryString,
  type QueryParams,
} from './FabricBackendClient';
export {
  ColouredChip,
  Mono,
  RefLink,
  errorMessage,
  formatTime,
  isResponseError,
  shortRef,
  type ChipColour,
} from './format';
export { readableColour } from './contrast';
export { SimpleTable, type SimpleColumn } from './SimpleTable';
export { UserText, showInvisibleCharacters } from './UserText';
export {
  SigningKeysClient,
  signingKeysApiRef,
  type SigningKeysApi,
} from './signingKeys/SigningKeysClient';
export { SigningKeyPanel } from './signingKeys/SigningKeyPanel';
export {
  packetKindLabel,
  packetKindPhrase,
  packetKindsPhrase,
} from '@internal/plugin-fabric-common';
