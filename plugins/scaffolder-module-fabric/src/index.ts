/**
 * Fabric Portal form fields for the scaffolder (new frontend system): the quota and binding
 * editors of the Tenant proposal template, the evidence packet and drift run pickers a proposal
 * cites, and a text field whose errors speak the domain.
 *
 * @packageDocumentation
 */
export { scaffolderModuleFabric as default } from './module';
export {
  changeDifferenceFormField,
  driftRunsFormField,
  evidencePacketsFormField,
  patternTextFormField,
  reviewValueFormField,
  tenantBindingFormField,
  tenantQuotasFormField,
} from './module';
export { tenantChangeUiOptionsSchema } from './fields/options';
export type { TenantChangeUiOptions } from './fields/options';
export type { TenantQuotasValue } from './fields/TenantQuotasField';
export type { TenantBindingValue } from './fields/TenantBindingField';
export type { PatternTextUiOptions } from './fields/PatternTextField';
export type { PacketPicks } from './fields/citationSources';
export type { ReviewValueUiOptions } from './fields/reviewValue';
