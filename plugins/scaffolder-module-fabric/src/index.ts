/**
 * Fabric Portal form fields for the scaffolder (new frontend system): the quota and binding
 * editors of the Tenant proposal template.
 *
 * @packageDocumentation
 */
export { scaffolderModuleFabric as default } from './module';
export { tenantBindingFormField, tenantQuotasFormField } from './module';
export { tenantChangeUiOptionsSchema } from './fields/options';
export type { TenantChangeUiOptions } from './fields/options';
export type { TenantQuotasValue } from './fields/TenantQuotasField';
export type { TenantBindingValue } from './fields/TenantBindingField';
