import TextField from '@mui/material/TextField';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';

/**
 * `ui:options` of a `FabricText` field. The pattern lives here, not in the JSON schema, because
 * the form would show a schema pattern as a raw regular expression; the action behind the
 * template checks the same rule again on the server (each action's own zod schema).
 */
export interface PatternTextUiOptions {
  /** The rule as a regular expression (anchored by the template). */
  pattern?: string;
  /** The rule in the domain's words, with an example, e.g. "use alai-<product>-web, e.g. alai-shop-web". */
  patternHint?: string;
  /** Set by templates so the form's generic error line does not repeat the field's own. */
  hideError?: boolean;
}

const PATTERN_ERROR = /^must match pattern\b/;

/** The field's errors for a person: a pattern error becomes the hint; duplicates go. */
export function describeTextErrors(
  rawErrors: ReadonlyArray<string> | undefined,
  hint: string | undefined,
): string[] {
  const messages = (rawErrors ?? []).map(error =>
    PATTERN_ERROR.test(error)
      ? hint ?? 'has a form this field does not accept'
      : error,
  );
  return [...new Set(messages)];
}

/** Refuses a value outside `ui:options.pattern` with the hint, never the expression. */
export const patternTextValidation: CustomFieldValidator<
  string,
  PatternTextUiOptions
> = (value, validation, context) => {
  const options = context.uiSchema?.['ui:options'];
  if (!value || !options?.pattern) return;
  if (!new RegExp(options.pattern, 'u').test(value)) {
    validation.addError(
      options.patternHint ?? 'has a form this field does not accept',
    );
  }
};

/** `ui:field: FabricText`: a text input whose errors speak the domain, not regular expressions. */
export function PatternTextField(
  props: FieldExtensionComponentProps<string, PatternTextUiOptions>,
) {
  const {
    formData,
    onChange,
    rawErrors,
    required,
    schema,
    uiSchema,
    idSchema,
    disabled,
    readonly,
  } = props;
  const hint = uiSchema?.['ui:options']?.patternHint;
  const errors = describeTextErrors(rawErrors, hint);
  // ui:help is shown by the form itself under the field; the description is ours to show.
  const help = schema.description;
  return (
    <TextField
      id={idSchema?.$id}
      label={schema.title}
      required={required}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value || undefined)}
      error={errors.length > 0}
      helperText={errors.length > 0 ? errors.join(' ') : help}
      disabled={disabled || readonly}
      inputProps={{ maxLength: schema.maxLength }}
      fullWidth
      margin="normal"
    />
  );
}
