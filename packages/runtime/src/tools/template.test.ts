import { describe, expect, it } from "vitest";
import { asText, fillTemplate, headerValue, jsonFragment, urlComponent } from "./template";
import { ToolFailure } from "./tool-failure";

const context = (input: Record<string, never> | Record<string, unknown>, declared: string[] = []) => ({
  input: input as never,
  declared: new Set(declared),
  where: "URL",
});

describe("fillTemplate", () => {
  it("URL-encodes each placeholder of a URL", () => {
    const url = fillTemplate(
      "https://api.test/weather/{city}?units={units}",
      urlComponent,
      context({ city: "São Paulo/BR", units: "metric" }),
    );
    expect(url).toBe("https://api.test/weather/S%C3%A3o%20Paulo%2FBR?units=metric");
  });

  it("leaves a declared but absent field empty", () => {
    expect(fillTemplate("/search?q={q}&page={page}", urlComponent, context({ q: "x" }, ["q", "page"]))).toBe(
      "/search?q=x&page=",
    );
  });

  it("refuses a placeholder the input does not have and the schema does not declare, naming the field", () => {
    expect(() => fillTemplate("/items/{id}", urlComponent, context({}))).toThrowError(ToolFailure);
    expect(() => fillTemplate("/items/{id}", urlComponent, context({}))).toThrowError(
      'The tool\'s URL template uses {id}, but the input has no field "id"; send it.',
    );
  });

  it("escapes strings inside JSON bodies and writes other values as JSON", () => {
    const body = fillTemplate('{"q": "{q}", "n": {n}, "tags": {tags}}', jsonFragment, {
      ...context({ q: 'say "hi"\n', n: 3, tags: ["a"] }),
      where: "body",
    });
    expect(JSON.parse(body)).toEqual({ q: 'say "hi"\n', n: 3, tags: ["a"] });
  });

  it("leaves JSON braces that are not placeholders alone", () => {
    expect(fillTemplate('{"a": {"b": 1}}', asText, context({}))).toBe('{"a": {"b": 1}}');
  });

  it("refuses header values with line breaks (header injection)", () => {
    expect(() =>
      fillTemplate("Bearer {token}", headerValue, context({ token: "x\r\nX-Evil: 1" })),
    ).toThrowError("A header value may not contain line breaks");
  });
});
