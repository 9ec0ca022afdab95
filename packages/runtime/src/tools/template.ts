import type { JsonValue } from "@agentos/core";
import { ToolFailure } from "./tool-failure";

/** `{name}` placeholders; JSON punctuation such as `{"a": 1}` never matches. */
const PLACEHOLDER = /\{([A-Za-z0-9_][A-Za-z0-9_-]*)\}/g;

/** Turns an input value into the text that replaces its placeholder. */
export type Encode = (value: JsonValue) => string;

/** Strings as they are, other values as JSON, null as nothing. */
export const asText: Encode = (value) =>
  value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);

export const urlComponent: Encode = (value) => encodeURIComponent(asText(value));

/** Inside a JSON body: a string is escaped to sit between the template's own quotes. */
export const jsonFragment: Encode = (value) =>
  typeof value === "string" ? JSON.stringify(value).slice(1, -1) : JSON.stringify(value);

export const headerValue: Encode = (value) => {
  const text = asText(value);
  if (/[\r\n\0]/.test(text)) {
    throw new ToolFailure("A header value may not contain line breaks; send the value without them.");
  }
  return text;
};

export interface TemplateInput {
  input: Record<string, JsonValue>;
  /** Fields the input schema declares: absent ones are left empty instead of refused. */
  declared: ReadonlySet<string>;
  /** Where the template is, for messages: "URL", "header x-api-key", "body". */
  where: string;
}

/** Replaces each `{name}` in `template` by the input field `name`, encoded by `encode`. */
export function fillTemplate(template: string, encode: Encode, { input, declared, where }: TemplateInput) {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (value === undefined) {
      if (declared.has(name)) return "";
      throw new ToolFailure(
        `The tool's ${where} template uses {${name}}, but the input has no field "${name}"; send it.`,
        { details: { fields: [{ path: name, message: "is required by the tool's template" }] } },
      );
    }
    return encode(value);
  });
}
