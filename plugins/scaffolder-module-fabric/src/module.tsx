import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  FormFieldBlueprint,
  createFormField,
} from '@backstage/plugin-scaffolder-react/alpha';
import { tenantChangeValidation } from './fields/tenantChange';

/** `ui:field: FabricTenantQuotas`: the capacity change of a tenant proposal. */
export const tenantQuotasFormField = FormFieldBlueprint.make({
  name: 'fabric-tenant-quotas',
  params: {
    field: () =>
      import('./fields/TenantQuotasField').then(m =>
        createFormField({
          name: 'FabricTenantQuotas',
          component: m.TenantQuotasField,
          validation: tenantChangeValidation('capacity-change'),
        }),
      ),
  },
});

/** `ui:field: FabricTenantBinding`: the binding change of a tenant proposal. */
export const tenantBindingFormField = FormFieldBlueprint.make({
  name: 'fabric-tenant-binding',
  params: {
    field: () =>
      import('./fields/TenantBindingField').then(m =>
        createFormField({
          name: 'FabricTenantBinding',
          component: m.TenantBindingField,
          validation: tenantChangeValidation('binding-change'),
        }),
      ),
  },
});

/** `ui:field: FabricText`: a text input whose pattern errors read as the domain's rule. */
export const patternTextFormField = FormFieldBlueprint.make({
  name: 'fabric-text',
  params: {
    field: () =>
      import('./fields/PatternTextField').then(m =>
        createFormField({
          name: 'FabricText',
          component: m.PatternTextField,
          validation: m.patternTextValidation,
        }),
      ),
  },
});

/** `ui:field: FabricEntityPicker`: catalog entities picked by title, stored as refs. */
export const entityTitlePickerFormField = FormFieldBlueprint.make({
  name: 'fabric-entity-picker',
  params: {
    field: () =>
      import('./fields/EntityTitlePicker').then(m =>
        createFormField({
          name: 'FabricEntityPicker',
          component: m.EntityTitlePicker,
        }),
      ),
  },
});

/** `ui:field: FabricEvidencePackets`: evidence packets of the chosen tenant to cite. */
export const evidencePacketsFormField = FormFieldBlueprint.make({
  name: 'fabric-evidence-packets',
  params: {
    field: () =>
      import('./fields/EvidencePacketsField').then(m =>
        createFormField({
          name: 'FabricEvidencePackets',
          component: m.EvidencePacketsField,
        }),
      ),
  },
});

/** `ui:field: FabricDriftRuns`: drift runs of the chosen tenant and environment to cite. */
export const driftRunsFormField = FormFieldBlueprint.make({
  name: 'fabric-drift-runs',
  params: {
    field: () =>
      import('./fields/DriftRunsField').then(m =>
        createFormField({
          name: 'FabricDriftRuns',
          component: m.DriftRunsField,
        }),
      ),
  },
});

/** `ui:field: FabricChangeDifference`: the difference (current → requested) the Review lists. */
export const changeDifferenceFormField = FormFieldBlueprint.make({
  name: 'fabric-change-difference',
  params: {
    field: () =>
      import('./fields/ChangeDifferenceField').then(m =>
        createFormField({
          name: 'FabricChangeDifference',
          component: m.ChangeDifferenceField,
        }),
      ),
  },
});

/** `ui:field: FabricReviewValue`: another field's choice as the Review step lists it (titles). */
export const reviewValueFormField = FormFieldBlueprint.make({
  name: 'fabric-review-value',
  params: {
    field: () =>
      import('./fields/ReviewValueField').then(m =>
        createFormField({
          name: 'FabricReviewValue',
          component: m.ReviewValueField,
        }),
      ),
  },
});

/** Fabric form fields for the scaffolder's template forms. */
export const scaffolderModuleFabric = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    tenantQuotasFormField,
    tenantBindingFormField,
    patternTextFormField,
    entityTitlePickerFormField,
    evidencePacketsFormField,
    driftRunsFormField,
    changeDifferenceFormField,
    reviewValueFormField,
  ],
});
