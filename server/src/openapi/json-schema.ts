import { z, type ZodType } from 'zod';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as the JSON Schema of what a client may send (`io: 'input'`: before transforms and
 * defaults, so an optional-with-default field is optional and a coerced number is what was typed).
 * What JSON Schema cannot say (a refinement, a transform's function, a date object) is left open
 * rather than refused: the document may be looser than the server, never stricter.
 * `defs` collects what zod had to name (recursive schemas); their refs are rewritten to point there.
 */
export function toJsonSchema(schema: ZodType, defs: Record<string, JsonSchema>, prefix: string): JsonSchema {
  let converted: JsonSchema;
  try {
    converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch (err) {
    // One schema zod cannot render must not take the whole document down: that part is left open.
    return { description: `（此处的模式无法转换：${err instanceof Error ? err.message : String(err)}）` };
  }
  const { $schema: _dialect, $defs, ...rest } = converted;
  const rename = (name: string) => `${prefix}_${name}`.replace(/[^A-Za-z0-9._-]/g, '_');
  for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    defs[rename(name)] = relink(def, rename) as JsonSchema;
  }
  const body = relink(rest, rename) as JsonSchema;
  if (!JSON.stringify(rest).includes('"$ref":"#"')) return body;
  defs[rename('root')] = body;
  return { $ref: `#/components/schemas/${rename('root')}` };
}

/** zod points at its own `#/$defs/x`; inside the document that is `#/components/schemas/x`. */
function relink(value: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => relink(item, rename));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/')) {
      out[key] = `#/components/schemas/${rename(item.slice('#/$defs/'.length))}`;
    } else if (key === '$ref' && item === '#') {
      // A schema that refers to itself as a whole (zod writes `#`) cannot stay `#` in a bigger document.
      out[key] = `#/components/schemas/${rename('root')}`;
    } else out[key] = relink(item, rename);
  }
  return out;
}

/** An object schema's properties and required names, or null when the schema is not a plain object. */
export function objectProperties(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: Set<string> } | null {
  if (schema.type !== 'object' || typeof schema.properties !== 'object' || schema.properties === null) return null;
  return { properties: schema.properties as Record<string, JsonSchema>, required: new Set((schema.required as string[] | undefined) ?? []) };
}
