import type { JsonSchema, JsonValue } from "@agentos/core";
import { type OutputUnit, Validator } from "@cfworker/json-schema";
import { describeError, ToolFailure } from "./tool-failure";

export interface FieldProblem {
  /** Dotted path of the field in the input, e.g. `address.zip`, `tags.1`; `(input)` for the whole. */
  path: string;
  message: string;
}

/** Keywords whose error only says "a subschema failed"; the subschema's own error is the useful one. */
const WRAPPERS = new Set([
  "properties",
  "patternProperties",
  "items",
  "prefixItems",
  "additionalItems",
  "contains",
  "$ref",
  "$dynamicRef",
  "$recursiveRef",
  "allOf",
  "if",
  "then",
  "else",
  "dependentSchemas",
  "unevaluatedItems",
  "unevaluatedProperties",
  "propertyNames",
]);
/** Keywords whose branch errors are noise: "matches none of the alternatives" says it. */
const ALTERNATIVES = new Set(["anyOf", "oneOf", "not"]);
const MAX_PROBLEMS = 10;

/** The input as an object (tool inputs are objects; anything else reads as no fields). */
export function inputObject(input: JsonValue): Record<string, JsonValue> {
  if (input && typeof input === "object" && !Array.isArray(input)) return input;
  return {};
}

/** The input fields a JSON schema declares at its top level. */
export function declaredFields(schema: JsonSchema): Set<string> {
  const properties = schema.properties;
  return new Set(properties && typeof properties === "object" ? Object.keys(properties) : []);
}

function pathOf(instanceLocation: string): string[] {
  return instanceLocation
    .replace(/^#\/?/, "")
    .split("/")
    .filter((p) => p !== "")
    .map((p) => decodeURIComponent(p).replaceAll("~1", "/").replaceAll("~0", "~"));
}

function toProblem(unit: OutputUnit): FieldProblem {
  const path = pathOf(unit.instanceLocation);
  let message = unit.error;
  const required = /required property "(.*)"\.$/.exec(unit.error);
  if (unit.keyword === "required" && required?.[1] !== undefined) {
    path.push(required[1]);
    message = "is required";
  }
  const additional = /^Property "(.*)" does not match additional properties schema\.$/.exec(unit.error);
  if (unit.keyword === "additionalProperties" && additional?.[1] !== undefined) {
    path.push(additional[1]);
    message = "is not a field of this tool; remove it";
  }
  return { path: path.join(".") || "(input)", message };
}

/** The problems worth telling a model: leaf errors, without the "a subschema had errors" chain. */
export function fieldProblems(errors: OutputUnit[]): FieldProblem[] {
  const alternatives = errors.filter((e) => ALTERNATIVES.has(e.keyword)).map((e) => `${e.keywordLocation}/`);
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    if (WRAPPERS.has(error.keyword) || error.keyword === "false") continue;
    if (alternatives.some((prefix) => error.keywordLocation.startsWith(prefix))) continue;
    const problem = toProblem(error);
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems.slice(0, MAX_PROBLEMS);
}

/**
 * Validates tool inputs against their JSON schemas with @cfworker/json-schema: an interpreter (no
 * code generated from schemas that third-party MCP servers send) that accepts drafts 4 to 2020-12
 * and ignores keywords it does not know. Validators are cached per schema object.
 */
export function createInputValidator() {
  const cache = new WeakMap<JsonSchema, Validator>();
  return {
    /** Throws a {@link ToolFailure} naming each bad field when `input` does not match `schema`. */
    check(toolName: string, schema: JsonSchema, input: JsonValue): void {
      let result: ReturnType<Validator["validate"]>;
      try {
        let validator = cache.get(schema);
        if (!validator) {
          validator = new Validator(schema as ConstructorParameters<typeof Validator>[0], "2020-12", false);
          cache.set(schema, validator);
        }
        result = validator.validate(input);
      } catch (cause) {
        throw new ToolFailure(
          `The input schema of tool ${toolName} cannot be applied (${describeError(cause)}); fix the tool's inputSchema.`,
          { cause },
        );
      }
      if (result.valid) return;
      const problems = fieldProblems(result.errors);
      const listed = problems.map((p) => `${p.path}: ${p.message}`).join("; ");
      throw new ToolFailure(
        `Invalid input for tool ${toolName}: ${listed}. Fix these fields and call the tool again.`,
        {
          details: { fields: problems.map((p) => ({ path: p.path, message: p.message })) },
          reason: "invalid_input",
        },
      );
    },
  };
}
