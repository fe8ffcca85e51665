import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { JsonObject, JsonValue } from '@backstage/types';
import { driftApiRef } from '@internal/plugin-drift';
import { evidenceApiRef } from '@internal/plugin-evidence';
import { useEffect, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { readSiblings } from './options';
import {
  ReviewValueUiOptions,
  describeForReview,
  readReviewValueOptions,
} from './reviewValue';

/** No choice: rjsf stores an empty array or string (its defaults) where this writes nothing. */
const nothing = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === '' ||
  (Array.isArray(value) && value.length === 0);

const sameValue = (a: unknown, b: unknown) =>
  (nothing(a) && nothing(b)) || JSON.stringify(a) === JSON.stringify(b);

/**
 * Sets the field's value to `wanted` once the form is quiet. rjsf builds each field's change
 * from the form data of the last render, so two fields changing in the same tick undo each
 * other (a picker clearing its picks when the tenant changes, and this field naming the new
 * tenant): the write waits for the next task, any re-render of the form postpones it, and a
 * write undone anyway is made again on the next render.
 */
function useWriteWhenQuiet(
  wanted: { value: JsonValue | undefined } | undefined,
  current: unknown,
  onChange: (value: JsonValue | undefined) => void,
  form: unknown,
) {
  useEffect(() => {
    if (!wanted || sameValue(current, wanted.value)) return undefined;
    const timer = setTimeout(() => onChange(wanted.value), 0);
    return () => clearTimeout(timer);
  }, [wanted, current, onChange, form]);
}

/**
 * `ui:field: FabricReviewValue`: display only. Holds the choice of another field (`of`) as a
 * person reads it: titles for entity refs, "kind — title" for cited evidence packets,
 * "date — verdict (source)" for cited drift runs, so that the scaffolder's Review step lists
 * those (the template hides the stored value there). It draws nothing (the template also marks
 * it `ui:widget: hidden`) and no step of a template reads it.
 */
export function ReviewValueField(
  props: FieldExtensionComponentProps<
    JsonValue | undefined,
    ReviewValueUiOptions
  >,
) {
  const { formData, onChange, formContext, uiSchema } = props;
  const catalogApi = useApi(catalogApiRef);
  const evidenceApi = useApi(evidenceApiRef);
  const driftApi = useApi(driftApiRef);
  const form = formContext?.formData as JsonObject | undefined;
  const options = readReviewValueOptions(uiSchema?.['ui:options']);
  const { tenantRef, environment } = readSiblings(form, options);
  // What the value depends on; anything else in the form changing reads nothing again.
  const dependsOn = JSON.stringify([
    options,
    options ? form?.[options.of] ?? null : null,
    tenantRef ?? null,
    environment ?? null,
  ]);
  const described = useAsync(
    async () =>
      options
        ? {
            value: await describeForReview(options, form, {
              catalogApi,
              evidenceApi,
              driftApi,
            }),
          }
        : undefined,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [dependsOn, catalogApi, evidenceApi, driftApi],
  );
  const wanted = useMemo(
    () => (described.loading ? undefined : described.value),
    [described.loading, described.value],
  );
  useWriteWhenQuiet(wanted, formData, onChange, form);
  return null;
}
