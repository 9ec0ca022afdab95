import { z } from "zod";

export const Timestamp = z.iso.datetime({ offset: true }).describe("RFC 3339 date-time");

/** Fields every stored entity has. */
export const Stored = {
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === "object") return Object.values(value).every(isJsonValue);
  return false;
}

/**
 * Any JSON value. Not `z.json()`: its recursive definition sends OpenAPI generators into
 * unbounded recursion, and the document should say "any JSON" anyway.
 */
export const JsonValue = z
  .unknown()
  .refine(isJsonValue, "must be a JSON value")
  .meta({ description: "Any JSON value" }) as unknown as z.ZodType<JsonValue>;

/** A JSON Schema document (draft 2020-12 subset as models accept it); must describe an object. */
export const JsonSchema = z
  .record(z.string(), z.unknown())
  .refine((s) => s.type === undefined || s.type === "object", {
    message: 'must be a JSON Schema with "type": "object"',
  })
  .describe("JSON Schema (object)");
export type JsonSchema = z.infer<typeof JsonSchema>;

export const Name = z.string().trim().min(1, "must not be empty").max(120);
export const Description = z.string().max(2000);

export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;
export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };

export const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/;

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
type UpdateShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> };

/**
 * The PATCH body of a resource: every create field optional, defaults dropped so that an absent
 * field means "leave as is" rather than "reset to the default".
 */
export function updateOf<S extends z.ZodRawShape>(create: z.ZodObject<S>): z.ZodObject<UpdateShape<S>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(create.shape)) {
    const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
    shape[key] = inner.optional();
  }
  return z.object(shape) as unknown as z.ZodObject<UpdateShape<S>>;
}
