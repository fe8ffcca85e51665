import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import scaffolderModuleFabric, {
  changeDifferenceFormField,
  driftRunsFormField,
  evidencePacketsFormField,
  patternTextFormField,
  reviewValueFormField,
  tenantBindingFormField,
  tenantQuotasFormField,
} from './index';

describe('scaffolder module fabric', () => {
  it('extends the scaffolder plugin', () => {
    expect(scaffolderModuleFabric.pluginId).toBe('scaffolder');
  });

  it.each([
    ['FabricTenantQuotas', tenantQuotasFormField],
    ['FabricTenantBinding', tenantBindingFormField],
  ])(
    'provides ui:field %s to the scaffolder form-fields API',
    async (name, extension) => {
      const tester = createExtensionTester(
        extension as typeof tenantQuotasFormField,
      );
      const loader = tester.get(FormFieldBlueprint.dataRefs.formFieldLoader);
      // The loaded field is opaque; its options are what the template's ui:field names.
      const field = (await loader()) as any;
      expect(field.name).toBe(name);
      expect(typeof field.component).toBe('function');
      expect(typeof field.validation).toBe('function');
    },
  );

  it.each([
    ['FabricEvidencePackets', evidencePacketsFormField],
    ['FabricDriftRuns', driftRunsFormField],
    ['FabricChangeDifference', changeDifferenceFormField],
    ['FabricReviewValue', reviewValueFormField],
  ])(
    'provides ui:field %s (a picker, no validation of its own)',
    async (name, extension) => {
      const tester = createExtensionTester(
        extension as typeof evidencePacketsFormField,
      );
      const field = (await tester.get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      )()) as any;
      expect(field.name).toBe(name);
      expect(typeof field.component).toBe('function');
    },
  );

  it('provides ui:field FabricText with its pattern validation', async () => {
    const tester = createExtensionTester(patternTextFormField);
    const field = (await tester.get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    )()) as any;
    expect(field.name).toBe('FabricText');
    expect(typeof field.component).toBe('function');
    expect(typeof field.validation).toBe('function');
  });
});
