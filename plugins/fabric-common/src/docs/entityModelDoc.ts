import { z } from 'zod';
import { FABRIC_API_VERSION } from '../constants';
import {
  fabricServiceComponentSchema,
  fabricWebsiteComponentSchema,
} from '../schemas/component';
import { environmentEntitySchema } from '../schemas/environment';
import { planeEntitySchema } from '../schemas/plane';
import { tenantEntitySchema } from '../schemas/tenant';
import { zakonRuleEntitySchema } from '../schemas/zakonRule';

// Renders docs/entity-model.md from the zod schemas, so the page cannot drift from what the
// catalog enforces: `yarn docs:entity-model` writes it, entityModelDoc.test.ts compares it.
// The walk goes through zod's own JSON Schema export (the same one the scaffolder actions
// publish), then puts each field into words. Fields keep their declaration order, which is
// stable and reads better than alphabetical order.

type Json = Record<string, any>;

interface KindPage {
  heading: string;
  intro: string;
  schema: z.ZodType;
  example: { file: string; kind: string; name: string };
}

const KINDS: KindPage[] = [
  {
    heading: 'Plane (`kind: Plane`)',
    intro:
      'A slice of the platform: a network plane (VLAN, CIDR, gateway and LAN VIPs), a business plane or a platform layer.',
    schema: planeEntitySchema,
    example: { file: 'catalog/planes.yaml', kind: 'Plane', name: 'dns' },
  },
  {
    heading: 'Environment (`kind: Resource`, `spec.type: environment`)',
    intro:
      "A rung of one system's environment ladder: its ladder, position, the rung a promotion goes to (`next`; `nextRung()` in fabric-common follows it) and, on the run-operate ladder, the parity contract. The catalog refuses a rung that breaks these rules.",
    schema: environmentEntitySchema,
    example: {
      file: 'catalog/environments.yaml',
      kind: 'Resource',
      name: 'dev',
    },
  },
  {
    heading: 'Service (`kind: Component`, `spec.type: service`)',
    intro:
      'A standard Component with a `spec.fabric` block: a service in a plane, with hosts, role tags, ports and an acceptance command. Only the fields below are checked; the rest of the Component is standard Backstage.',
    schema: fabricServiceComponentSchema,
    example: {
      file: 'catalog/services.yaml',
      kind: 'Component',
      name: 'minio',
    },
  },
  {
    heading: 'Website (`kind: Component`, `spec.type: website`)',
    intro:
      'A static site: a standard Component with a `spec.fabric` block, named after the site convention.',
    schema: fabricWebsiteComponentSchema,
    example: {
      file: 'catalog/sites.yaml',
      kind: 'Component',
      name: 'alai-basicconsulting-web',
    },
  },
  {
    heading: 'Tenant (`kind: Tenant`)',
    intro:
      'A project consuming the platform: its owner, environments, consumers, quotas and bindings.',
    schema: tenantEntitySchema,
    example: {
      file: 'catalog/tenants.yaml',
      kind: 'Tenant',
      name: 'project-birds',
    },
  },
  {
    heading: 'ZakonRule (`kind: ZakonRule`)',
    intro:
      'A governance rule from the ZAKON registry. The approval fields are optional in the schema so that the approval gate (see the catalog model page), not a generic "missing" message, explains what a status needs.',
    schema: zakonRuleEntitySchema,
    example: {
      file: 'catalog/zakon-rules.yaml',
      kind: 'ZakonRule',
      name: 'blueprint-enforcement',
    },
  },
];

interface Row {
  path: string;
  type: string;
  required: string;
  rules: string;
}

const code = (value: unknown) => `\`${String(value)}\``;

/** A range in words: "from 1 to 4094", "at least 0", "at most 63". */
function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
  if (min !== undefined) return `at least ${min}`;
  if (max !== undefined) return `at most ${max}`;
  return '';
}

function withRange(base: string, min?: number, max?: number): string {
  const words = range(min, max);
  return words ? `${base} ${words}` : base;
}

/** The type of one JSON Schema node in domain words. */
function typeWords(node: Json): string {
  if ('const' in node) return code(node.const);
  if (Array.isArray(node.enum)) {
    return `one of ${node.enum.map(code).join(', ')}`;
  }
  if (Array.isArray(node.anyOf)) return node.anyOf.map(typeWords).join(' or ');
  switch (node.type) {
    case 'string': {
      if (node.minLength === 1 && node.maxLength === undefined) {
        return 'text, not blank';
      }
      const length = range(node.minLength, node.maxLength);
      return length ? `text, ${length} characters` : 'text';
    }
    case 'integer':
      return withRange('whole number', node.minimum, node.maximum);
    case 'number':
      return withRange('number', node.minimum, node.maximum);
    case 'boolean':
      return '`true` or `false`';
    case 'array': {
      const count = range(node.minItems, node.maxItems);
      const list = `list of ${typeWords(node.items ?? {})}`;
      return count ? `${list}, ${count} entries` : list;
    }
    case 'object':
      if (node.properties) return 'object';
      if (node.additionalProperties && node.additionalProperties !== true) {
        return `map of text to ${typeWords(node.additionalProperties)}`;
      }
      return 'object';
    default:
      return 'any';
  }
}

/** What a field must satisfy beyond its type: descriptions, else the raw pattern. */
function ruleWords(node: Json): string {
  const parts: string[] = [];
  const items: Json | undefined =
    node.type === 'array' ? node.items : undefined;
  for (const source of [items, node]) {
    if (!source) continue;
    if (source.description) parts.push(source.description);
    else if (source.pattern) parts.push(`matches ${code(source.pattern)}`);
  }
  if (node.type === 'object' && node.additionalProperties === false) {
    parts.push('no other fields');
  }
  // Descriptions are sentences or phrases; joined as phrases, without their full stops.
  return parts.map(part => part.replace(/\.$/, '')).join('; ');
}

/** Table rows for `node` and every field below it, depth first in declaration order. */
function collectRows(
  node: Json,
  path: string,
  required: boolean,
  rows: Row[],
): void {
  if (path) {
    rows.push({
      path,
      type: typeWords(node),
      required: required ? 'yes' : 'no',
      rules: ruleWords(node),
    });
  }
  const objectNode: Json | undefined =
    node.type === 'array' ? node.items : node;
  if (!objectNode || objectNode.type !== 'object' || !objectNode.properties) {
    return;
  }
  const prefix = node.type === 'array' ? `${path}[]` : path;
  const requiredKeys = new Set<string>(objectNode.required ?? []);
  for (const [key, child] of Object.entries<Json>(objectNode.properties)) {
    collectRows(
      child,
      prefix ? `${prefix}.${key}` : key,
      requiredKeys.has(key),
      rows,
    );
  }
}

/** Markdown table cells may not hold a raw pipe. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

function renderTable(rows: Row[]): string {
  const lines = [
    '| Field | Type | Required | Rules |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      row =>
        `| ${code(row.path)} | ${cell(row.type)} | ${row.required} | ${cell(
          row.rules,
        )} |`,
    ),
  ];
  return lines.join('\n');
}

/**
 * The document of `kind`/`name` in a multi-document catalog file, as written there (comments
 * included), so the example is real data the catalog accepts.
 */
export function findCatalogDocument(
  text: string,
  kind: string,
  name: string,
): string | undefined {
  return (
    text
      .split(/^---[ \t]*$/m)
      // The file's own header comments belong to the file, not to the entity.
      .map(doc => doc.slice(Math.max(doc.search(/^apiVersion:/m), 0)).trim())
      .find(
        doc =>
          new RegExp(`^kind: ${kind}\\s*$`, 'm').test(doc) &&
          new RegExp(`^  name: ${name}\\s*$`, 'm').test(doc),
      )
  );
}

function renderKind(
  page: KindPage,
  readRepoFile: (path: string) => string,
): string {
  const json = z.toJSONSchema(page.schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Json;
  const rows: Row[] = [];
  collectRows(json, '', true, rows);
  const { file, kind, name } = page.example;
  const example = findCatalogDocument(readRepoFile(file), kind, name);
  if (!example) {
    throw new Error(
      `${file} has no ${kind} named ${name}; pick another example for the entity model page`,
    );
  }
  const parts = [`## ${page.heading}`, page.intro];
  if (json.description) parts.push(json.description);
  parts.push(
    renderTable(rows),
    `Example, \`${name}\` from \`${file}\`:`,
    `\`\`\`yaml\n${example}\n\`\`\``,
  );
  return parts.join('\n\n');
}

/**
 * The entity model page. `readRepoFile` reads a file by its path from the repository root
 * (the examples come from the sample catalog).
 */
export function renderEntityModelDoc(
  readRepoFile: (path: string) => string,
): string {
  const header = [
    '<!-- Generated from the zod schemas in plugins/fabric-common by `yarn docs:entity-model`; do not edit by hand. -->',
    '',
    '# Entity model reference',
    '',
    `Every field of the Fabric kinds (API group \`${FABRIC_API_VERSION}\`) and of the \`spec.fabric\` blocks of services and websites, as the catalog checks them. This page is generated from the zod schemas in \`plugins/fabric-common\`, the single source of truth; a test fails when it differs from them. What the kinds mean, references, relations and the ZAKON approval gate are on the catalog model page.`,
    '',
    '"Required" is relative to the enclosing block: a required field of an optional block is required only when the block is there. A reference field takes a full or short entity ref (`[kind:][namespace/]name`).',
  ].join('\n');
  const body = KINDS.map(page => renderKind(page, readRepoFile));
  return `${[header, ...body].join('\n\n')}\n`;
}
