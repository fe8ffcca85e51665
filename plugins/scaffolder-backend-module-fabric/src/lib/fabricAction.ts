import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  ActionContext,
  TemplateAction,
  TemplateExample,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  fabricErrorMap,
  formatProblems,
  problemsFromZodError,
} from '@internal/plugin-fabric-common';
import { z } from 'zod';

/** Turns a domain (zod 4) schema into the JSON Schema the scaffolder shows and checks. */
export function toActionJsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
): JsonObject {
  const json = z.toJSONSchema(schema, {
    io,
    target: 'draft-7',
    unrepresentable: 'any',
  }) as JsonObject;
  delete json.$schema;
  return json;
}

/** Parses with the domain schema; a failure names every field and its fix. */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  subject: string,
): z.output<T> {
  const result = schema.safeParse(value, { error: fabricErrorMap });
  if (!result.success) {
    throw new InputError(
      `${subject} is invalid:\n${formatProblems(
        problemsFromZodError(result.error),
      )}`,
    );
  }
  return result.data;
}

export interface FabricActionOptions<
  I extends z.ZodType,
  O extends z.ZodObject,
> {
  id: `fabric:${string}:${string}`;
  description: string;
  examples: TemplateExample[];
  input: I;
  output: O;
  handler(
    ctx: ActionContext<JsonObject, JsonObject>,
    input: z.output<I>,
    output: (values: z.input<O>) => void,
  ): Promise<void>;
}

/**
 * A scaffolder action whose input and output are zod 4 schemas built from the
 * Fabric domain schemas (fabric-common, approvals-common), so every field is
 * defined once.
 *
 * scaffolder-node 0.13 takes its schemas as zod 3 callbacks and converts them
 * to JSON Schema; the domain package is on zod 4, so the action is declared
 * with a pass-through zod 3 object and the JSON Schema it shows on the actions
 * page (and checks before the handler runs) is generated from the zod 4
 * schemas instead. The handler parses its input again with the zod 4 schema
 * for the checks JSON Schema cannot express (refs, cross-field rules).
 */
export function createFabricAction<I extends z.ZodType, O extends z.ZodObject>(
  options: FabricActionOptions<I, O>,
): TemplateAction<JsonObject, JsonObject, 'v2'> {
  const action = createTemplateAction({
    id: options.id,
    description: options.description,
    examples: options.examples,
    supportsDryRun: true,
    schema: {
      input: zod3 => zod3.object({}).passthrough(),
      output: zod3 => zod3.object({}).passthrough(),
    },
    async handler(ctx) {
      const input = parseOrThrow(
        options.input,
        ctx.input,
        `The input of ${options.id}`,
      );
      await options.handler(ctx as any, input, values => {
        const checked = options.output.parse(values) as JsonObject;
        for (const [key, value] of Object.entries(checked)) {
          if (value !== undefined) ctx.output(key as never, value as never);
        }
      });
    },
  }) as unknown as TemplateAction<JsonObject, JsonObject, 'v2'>;
  return {
    ...action,
    schema: {
      input: toActionJsonSchema(options.input, 'input'),
      output: toActionJsonSchema(options.output, 'output'),
    },
  } as TemplateAction<JsonObject, JsonObject, 'v2'>;
}

// Defined once in the domain package, beside the other form-value helpers.
export { blankAsUndefined } from '@internal/plugin-fabric-common';
