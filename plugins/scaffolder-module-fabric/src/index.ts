/**
 * Fabric Portal form fields for the scaffolder (new frontend system): the quota and binding
 * editors of the Tenant proposal template, and a text field whose errors speak the domain.
 *
 * @packageDocumentation
 */
export { scaffolderModuleFabric as default } from './module';
export {
  patternTextFormField,
  tenantBindingFormField,
  tenantQuotasFormField,
} from './module';
export { tenantChangeUiOptionsSchema } from './fields/options';
export type { TenantChangeUiOptions } from './fields/options';
export type { TenantQuotasValue } from './fields/TenantQuotasField';
export type { TenantBindingValue } from './fields/TenantBindingField';
export type { PatternTextUiOptions } from './fields/PatternTextField';
