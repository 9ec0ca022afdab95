import type { HttpToolConfig, JsonSchema, JsonValue } from "@agentos/core";
import type { z } from "zod";
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  type GuardedFetchOptions,
  type GuardedResponse,
  guardedFetch,
} from "./guarded-fetch";
import { declaredFields, inputObject } from "./input";
import { LOCAL_OUTBOUND_POLICY, type OutboundPolicy, toolNetworkPolicy } from "./outbound-policy";
import { asText, type Encode, fillTemplate, headerValue, jsonFragment, urlComponent } from "./template";
import { ToolFailure } from "./tool-failure";
import type { RuntimeTool } from "./types";

export type HttpConfig = z.infer<typeof HttpToolConfig>;

/** What an HTTP tool needs besides its config; `lookup` and `classify` are test seams. */
export type HttpToolOptions = Pick<GuardedFetchOptions, "fetch" | "lookup" | "classify"> & {
  maxResponseBytes?: number;
  /** Where its URLs may lead (hosted mode ignores `allowPrivateNetwork`); default local mode's. */
  outbound?: OutboundPolicy;
};

const isJsonType = (contentType: string) => /^application\/([\w.+-]*\+)?json\b/i.test(contentType);
const isTextType = (contentType: string) =>
  contentType === "" ||
  isJsonType(contentType) ||
  /^(text\/|application\/(xml|xhtml\+xml|javascript|x-www-form-urlencoded|[\w.+-]*\+xml)\b)/i.test(
    contentType,
  );

/** The encoding of placeholders in a body template follows the body's media type. */
function bodyEncoder(contentType: string): Encode {
  if (isJsonType(contentType)) return jsonFragment;
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) return urlComponent;
  return asText;
}

/** Decodes a response body as text, in the charset its content type names (UTF-8 otherwise). */
export function decodeText(bytes: Uint8Array, contentType: string): string {
  const charset = /;\s*charset="?([^";]+)"?/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 is the most likely truth and still readable.
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** The tool result of an HTTP response: JSON when the content type says so, else text. */
export function httpResult(response: GuardedResponse, maxBytes: number): JsonValue {
  const contentType = response.headers.get("content-type") ?? "";
  let body: JsonValue;
  if (!isTextType(contentType)) {
    body = `<${response.body.byteLength} bytes of ${contentType}; binary content is not shown>`;
  } else {
    const text = decodeText(response.body, contentType);
    body = text;
    if (isJsonType(contentType) && !response.truncated) {
      try {
        body = JSON.parse(text) as JsonValue;
      } catch {
        // Not JSON after all: the text is what the model can read.
      }
    }
  }
  const ok = response.status >= 200 && response.status < 300;
  return {
    status: response.status,
    ok,
    ...(ok ? {} : { error: `The server answered ${response.status} ${response.statusText}`.trim() }),
    url: response.url,
    contentType,
    body,
    ...(response.truncated
      ? { truncated: true, note: `The body was cut at ${maxBytes} bytes; ask for less (paging, filters).` }
      : {}),
  };
}

function setHeader(headers: Headers, name: string, value: string) {
  try {
    headers.set(name, value);
  } catch (cause) {
    throw new ToolFailure(`Header "${name}" of the tool is not a valid HTTP header; fix its config.`, {
      cause,
    });
  }
}

/** Executes an `http` tool: fills the templates from the input and sends the request through the SSRF guard. */
export function httpTool(
  config: HttpConfig,
  inputSchema: JsonSchema,
  options: HttpToolOptions = {},
): RuntimeTool["execute"] {
  const declared = declaredFields(inputSchema);
  const {
    outbound = LOCAL_OUTBOUND_POLICY,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
    ...seams
  } = options;
  const network = toolNetworkPolicy(outbound, {
    allowPrivateNetwork: config.allowPrivateNetwork,
    howToAllow: "set allowPrivateNetwork: true in the tool's config",
  });
  return async (rawInput, context) => {
    const input = inputObject(rawInput);
    const fill = (template: string, encode: Encode, where: string) =>
      fillTemplate(template, encode, { input, declared, where });

    const url = fill(config.url, urlComponent, "URL");
    const headers = new Headers();
    for (const [name, value] of Object.entries(config.headers)) {
      setHeader(headers, name, fill(value, headerValue, `header ${name}`));
    }
    let body: string | undefined;
    if (config.bodyTemplate !== null) {
      if (config.method === "GET") {
        throw new ToolFailure(
          "A GET request cannot carry a body: set the tool's method or remove bodyTemplate.",
        );
      }
      const inferred = /^\s*[[{]/.test(config.bodyTemplate)
        ? "application/json"
        : "text/plain; charset=utf-8";
      const contentType = headers.get("content-type") ?? inferred;
      body = fill(config.bodyTemplate, bodyEncoder(contentType), "body");
      if (!headers.has("content-type")) headers.set("content-type", contentType);
    } else if (config.method !== "GET") {
      body = JSON.stringify(input);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    if (!headers.has("accept")) headers.set("accept", "application/json, text/*;q=0.9, */*;q=0.5");

    const response = await guardedFetch(
      {
        method: config.method,
        url,
        headers,
        body,
        timeoutMs: config.timeoutMs,
        maxResponseBytes,
        signal: context.signal,
      },
      { ...network, ...seams },
    );
    return httpResult(response, maxResponseBytes);
  };
}
