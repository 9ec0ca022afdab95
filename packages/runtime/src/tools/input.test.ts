import { describe, expect, it } from "vitest";
import { createInputValidator } from "./input";
import { ToolFailure } from "./tool-failure";

const schema = {
  type: "object",
  properties: {
    city: { type: "string" },
    days: { type: "integer", minimum: 1 },
    address: { type: "object", properties: { zip: { type: "string" } }, required: ["zip"] },
    tags: { type: "array", items: { type: "string" } },
    unit: { anyOf: [{ const: "C" }, { const: "F" }] },
  },
  required: ["city"],
  additionalProperties: false,
};

function problemsOf(input: unknown, s: Record<string, unknown> = schema) {
  try {
    createInputValidator().check("weather", s, input as never);
  } catch (error) {
    if (ToolFailure.isInstance(error)) return { message: error.message, fields: error.details.fields };
    throw error;
  }
  return null;
}

describe("input validation", () => {
  it("accepts input that matches the schema", () => {
    expect(problemsOf({ city: "Paris", days: 2, tags: ["a"], unit: "C" })).toBeNull();
  });

  it("names a missing required field", () => {
    expect(problemsOf({})).toEqual({
      message: "Invalid input for tool weather: city: is required. Fix these fields and call the tool again.",
      fields: [{ path: "city", message: "is required" }],
    });
  });

  it("names nested and array fields by dotted path, without the chain of wrapper errors", () => {
    const result = problemsOf({ city: 1, days: 0, address: {}, tags: ["ok", 2] });
    expect(result?.fields).toEqual([
      { path: "city", message: 'Instance type "number" is invalid. Expected "string".' },
      { path: "days", message: "0 is less than 1." },
      { path: "address.zip", message: "is required" },
      { path: "tags.1", message: 'Instance type "number" is invalid. Expected "string".' },
    ]);
  });

  it("names a field the schema does not allow", () => {
    expect(problemsOf({ city: "x", colour: "red" })?.fields).toEqual([
      { path: "colour", message: "is not a field of this tool; remove it" },
    ]);
  });

  it("reports a failed anyOf once instead of once per alternative", () => {
    expect(problemsOf({ city: "x", unit: "K" })?.fields).toEqual([
      { path: "unit", message: "Instance does not match any subschemas." },
    ]);
  });

  it("accepts schemas that declare draft-07, as MCP servers often send", () => {
    const draft7 = { $schema: "http://json-schema.org/draft-07/schema#", ...schema };
    expect(problemsOf({ city: "Paris" }, draft7)).toBeNull();
    expect(problemsOf({}, draft7)?.fields).toEqual([{ path: "city", message: "is required" }]);
  });

  it("says when the tool's own schema cannot be applied", () => {
    const broken = { type: "object", properties: { a: { $ref: "https://elsewhere.test/schema.json" } } };
    expect(problemsOf({ a: 1 }, broken)?.message).toMatch(
      /^The input schema of tool weather cannot be applied/,
    );
  });
});
