import { createHash } from "node:crypto";
import type { BUILTIN_TOOLS, File, JsonSchema, JsonValue } from "@agentos/core";
import type { Repositories } from "@agentos/db";
import { convert } from "html-to-text";
import { type GuardedFetchOptions, guardedFetch } from "./guarded-fetch";
import { decodeText } from "./http";
import { inputObject } from "./input";
import { ToolFailure } from "./tool-failure";
import type { RuntimeTool, ToolContext } from "./types";

export type BuiltinName = (typeof BUILTIN_TOOLS)[number];

/**
 * Network settings of `fetch_page`; `allowPrivateNetwork` lets it reach loopback and private hosts
 * (local mode, tests), and hosted mode sets the operator's `allowList` with its `howToAllow`.
 */
export type FetchPageOptions = Partial<
  Pick<GuardedFetchOptions, "fetch" | "lookup" | "classify" | "allowList" | "howToAllow">
> & {
  allowPrivateNetwork?: boolean;
};

export interface BuiltinDeps {
  repos: Repositories;
  fetchPage?: FetchPageOptions;
  now?: () => Date;
}

export const FETCH_PAGE_TIMEOUT_MS = 20_000;
export const FETCH_PAGE_MAX_BYTES = 2 * 1024 * 1024;
export const FETCH_PAGE_DEFAULT_CHARS = 20_000;
export const FETCH_PAGE_MAX_CHARS = 100_000;
/** Bytes of a file `read_file` returns; the rest is cut and the result says `truncated`. */
export const READ_FILE_MAX_BYTES = 1024 * 1024;

interface BuiltinDefinition {
  description: string;
  inputSchema: JsonSchema;
}

/** The description and input schema of each builtin; the implementation reads exactly these fields. */
export const BUILTIN_DEFINITIONS: Record<BuiltinName, BuiltinDefinition> = {
  current_time: {
    description: "The current date and time (ISO 8601), optionally in an IANA time zone.",
    inputSchema: {
      type: "object",
      properties: {
        timezone: { type: "string", description: "IANA time zone such as Europe/Paris; default UTC" },
      },
    },
  },
  fetch_page: {
    description: "Fetches a web page by URL and returns its readable text.",
    inputSchema: {
      type: "object",
      properties: {
        url: { type: "string", description: "Absolute http(s) URL" },
        maxChars: {
          type: "integer",
          minimum: 100,
          maximum: FETCH_PAGE_MAX_CHARS,
          description: `Longest text returned; default ${FETCH_PAGE_DEFAULT_CHARS}`,
        },
      },
      required: ["url"],
    },
  },
  read_file: {
    description: "Reads a file of this run by name.",
    inputSchema: {
      type: "object",
      properties: { name: { type: "string", minLength: 1, maxLength: 500 } },
      required: ["name"],
    },
  },
  write_file: {
    description: "Creates a file of this run, or replaces the file of that name.",
    inputSchema: {
      type: "object",
      properties: {
        name: { type: "string", minLength: 1, maxLength: 500 },
        content: { type: "string" },
        encoding: { enum: ["utf-8", "base64"], description: "How content is encoded; default utf-8" },
        mediaType: { type: "string", maxLength: 200, description: "Default: guessed from the name" },
      },
      required: ["name", "content"],
    },
  },
};

/** `current_time`: now as UTC ISO 8601 and as local time with its offset in `timeZone`. */
export function currentTime(now: Date, timeZone = "UTC"): JsonValue {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "long",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    });
  } catch (cause) {
    throw new ToolFailure(`Unknown time zone "${timeZone}"; use an IANA name such as Europe/Paris or UTC.`, {
      cause,
      details: { fields: [{ path: "timezone", message: "is not an IANA time zone" }] },
    });
  }
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    format.formatToParts(now).find((p) => p.type === type)?.value ?? "";
  const offset = part("timeZoneName").replace(/^GMT$/, "GMT+00:00").replace(/^GMT/, "");
  return {
    iso: now.toISOString(),
    timeZone,
    local: `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}:${part("second")}${offset}`,
    weekday: part("weekday"),
    unixMs: now.getTime(),
  };
}

const HTML_TYPE = /^(text\/html|application\/xhtml\+xml)\b/i;
const TEXT_TYPE = /^(text\/|application\/([\w.+-]*\+)?(json|xml)\b)/i;

/** The `<title>` of a page, entities decoded. */
function titleOf(html: string): string | null {
  const raw = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  return raw === undefined ? null : convert(raw, { wordwrap: false }).trim() || null;
}

function absoluteUrl(path: string, baseUrl: string): string {
  try {
    return new URL(path, baseUrl).href;
  } catch {
    return path;
  }
}

/** Readable text of an HTML page: no scripts, styles, images or navigation; links keep their URL. */
export function htmlToReadableText(html: string, baseUrl: string): string {
  const heading = { options: { uppercase: false } };
  return convert(html, {
    wordwrap: false,
    selectors: [
      {
        selector: "a",
        options: {
          hideLinkHrefIfSameAsText: true,
          pathRewrite: (path: string) => absoluteUrl(path, baseUrl),
        },
      },
      ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, ...heading })),
      { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
      ...["img", "nav", "script", "style", "noscript", "svg", "template", "iframe"].map((selector) => ({
        selector,
        format: "skip",
      })),
    ],
  })
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

async function fetchPage(input: Record<string, JsonValue>, context: ToolContext, options: FetchPageOptions) {
  const url = String(input.url);
  const maxChars = typeof input.maxChars === "number" ? input.maxChars : FETCH_PAGE_DEFAULT_CHARS;
  const response = await guardedFetch(
    {
      method: "GET",
      url,
      headers: new Headers({ accept: "text/html, text/*;q=0.9, application/json;q=0.8" }),
      timeoutMs: FETCH_PAGE_TIMEOUT_MS,
      maxResponseBytes: FETCH_PAGE_MAX_BYTES,
      signal: context.signal,
    },
    {
      ...options,
      allowPrivateNetwork: options.allowPrivateNetwork ?? false,
      howToAllow:
        options.howToAllow ??
        "start the runtime with fetch_page allowed to reach private networks (a deployment setting)",
    },
  );
  const contentType = response.headers.get("content-type") ?? "";
  if (contentType && !TEXT_TYPE.test(contentType)) {
    throw new ToolFailure(
      `${response.url} is ${contentType}, not a page with text; fetch_page reads text only.`,
    );
  }
  const body = decodeText(response.body, contentType);
  const isHtml = HTML_TYPE.test(contentType) || (!contentType && /^\s*<(!doctype|html)/i.test(body));
  const fullText = isHtml ? htmlToReadableText(body, response.url) : body;
  const truncated = response.truncated || fullText.length > maxChars;
  const ok = response.status >= 200 && response.status < 300;
  return {
    url: response.url,
    status: response.status,
    ...(ok ? {} : { error: `The page answered ${response.status} ${response.statusText}`.trim() }),
    title: isHtml ? titleOf(body) : null,
    text: fullText.slice(0, maxChars),
    truncated,
  };
}

/** The context, once it is known to serve a run: the run-file builtins need one. */
function inRun(context: ToolContext, tool: BuiltinName): ToolContext {
  if (context.runId === "") {
    throw new ToolFailure(
      `${tool} reads and writes the files of a run; call it from an agent or workflow run.`,
    );
  }
  return context;
}

/** Every file of the run named `name`, newest first. */
async function runFilesNamed(repos: Repositories, context: ToolContext, name: string): Promise<File[]> {
  const found: File[] = [];
  let cursor: string | undefined;
  do {
    const page = await repos.files.list(context.workspaceId, {
      limit: 100,
      cursor,
      sort: "-createdAt",
      q: name,
      filters: { ownerKind: "run", ownerId: context.runId },
    });
    found.push(...page.items.filter((f) => f.name === name));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

async function readRunFile(repos: Repositories, context: ToolContext, name: string): Promise<JsonValue> {
  const [file] = await runFilesNamed(repos, context, name);
  if (!file) {
    throw new ToolFailure(`This run has no file named "${name}"; write it first with write_file.`);
  }
  const bytes = await repos.fileContents.get(file.id);
  const truncated = bytes.byteLength > READ_FILE_MAX_BYTES;
  const kept = bytes.subarray(0, READ_FILE_MAX_BYTES);
  let content: string;
  let encoding: "utf-8" | "base64" = "utf-8";
  try {
    // `stream: true` keeps a multi-byte character cut by the cap from failing the whole file.
    content = new TextDecoder("utf-8", { fatal: true }).decode(kept, { stream: truncated });
  } catch {
    content = kept.toString("base64");
    encoding = "base64";
  }
  return {
    name: file.name,
    size: file.size,
    mediaType: file.mediaType,
    encoding,
    content,
    ...(truncated ? { truncated: true, note: `Only the first ${READ_FILE_MAX_BYTES} bytes are shown.` } : {}),
  };
}

const MEDIA_TYPES: Record<string, string> = {
  txt: "text/plain; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  json: "application/json",
  html: "text/html; charset=utf-8",
  xml: "application/xml",
  yaml: "application/yaml",
  yml: "application/yaml",
  js: "text/javascript; charset=utf-8",
  ts: "text/plain; charset=utf-8",
  py: "text/x-python; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  pdf: "application/pdf",
};

function guessMediaType(name: string, encoding: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
  return (
    MEDIA_TYPES[extension] ??
    (encoding === "base64" ? "application/octet-stream" : "text/plain; charset=utf-8")
  );
}

async function writeRunFile(repos: Repositories, context: ToolContext, input: Record<string, JsonValue>) {
  const name = String(input.name);
  const encoding = input.encoding === "base64" ? "base64" : "utf-8";
  const bytes = Buffer.from(String(input.content), encoding === "base64" ? "base64" : "utf8");
  const { fileMaxBytes } = await repos.settings.get(context.workspaceId);
  if (bytes.byteLength > fileMaxBytes) {
    throw new ToolFailure(
      `The file would be ${bytes.byteLength} bytes; this workspace accepts up to ${fileMaxBytes}. Write a smaller file or split it.`,
    );
  }
  const previous = await runFilesNamed(repos, context, name);
  // The new file is complete before the old one goes, so a reader by name always finds content.
  const file = await repos.files.insert(context.workspaceId, {
    name,
    size: bytes.byteLength,
    mediaType: typeof input.mediaType === "string" ? input.mediaType : guessMediaType(name, encoding),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    owner: { kind: "run", id: context.runId },
  });
  await repos.fileContents.put(file.id, bytes);
  for (const old of previous) {
    await repos.files.delete(context.workspaceId, old.id);
    await repos.fileContents.delete(old.id);
  }
  return { fileId: file.id, name, size: file.size, mediaType: file.mediaType, replaced: previous.length > 0 };
}

/** Executes a builtin tool. */
export function builtinTool(name: BuiltinName, deps: BuiltinDeps): RuntimeTool["execute"] {
  return async (rawInput, context) => {
    const input = inputObject(rawInput);
    switch (name) {
      case "current_time":
        return currentTime(
          deps.now?.() ?? new Date(),
          typeof input.timezone === "string" ? input.timezone : undefined,
        );
      case "fetch_page":
        return fetchPage(input, context, deps.fetchPage ?? {});
      case "read_file":
        return readRunFile(deps.repos, inRun(context, name), String(input.name));
      case "write_file":
        return writeRunFile(deps.repos, inRun(context, name), input);
    }
  };
}
