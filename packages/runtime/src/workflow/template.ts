import type { JsonValue } from "@agentos/core";

function lookup(scope: Record<string, JsonValue>, path: string): JsonValue | undefined {
  let value: JsonValue | undefined = scope;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = Array.isArray(value) ? value[Number(key)] : (value as Record<string, JsonValue>)[key];
  }
  return value;
}

/**
 * Fills `{{input}}` / `{{input.a.b}}` placeholders. A template that is exactly one placeholder
 * yields the value itself (an object stays an object); otherwise values are inserted as text.
 */
export function renderTemplate(template: string, scope: Record<string, JsonValue>): JsonValue {
  const whole = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(template);
  if (whole) return lookup(scope, whole[1]!) ?? null;
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    const value = lookup(scope, path);
    if (value === undefined || value === null) return "";
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

/** Renders every string inside a JSON value (tool node arguments). */
export function renderDeep(value: JsonValue, scope: Record<string, JsonValue>): JsonValue {
  if (typeof value === "string") return renderTemplate(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, scope));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, scope)]));
  }
  return value;
}
