import * as core from "@agentos/core";
import { z } from "zod";
import { createApi, openApiDocument } from "./app";
import type { ApiDeps } from "./context";

/** The OpenAPI document of the contract, built without a database (handlers never run). */
export function contractDocument(version = "0.1.0") {
  // Routes keep references to repositories but only use them in handlers, which never run here.
  const refuse = (name: string) =>
    new Proxy(
      {},
      {
        get(_target, key) {
          throw new Error(`The document-only API has no repositories (used ${name}.${String(key)}).`);
        },
      },
    );
  const unusable = new Proxy({} as ApiDeps["repos"], { get: (_target, key) => refuse(String(key)) });
  const app = createApi({
    repos: unusable,
    config: { mode: "local", bodyLimitBytes: 1024 * 1024, corsOrigins: [], version },
  });
  return openApiDocument(app, version);
}

type Json = Record<string, unknown>;
type Document = ReturnType<typeof contractDocument>;

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function typeOf(schema: Json | undefined): string {
  if (!schema) return "—";
  if (typeof schema.$ref === "string")
    return `[${schema.$ref.split("/").pop()}](shared-types.md#${String(schema.$ref.split("/").pop()).toLowerCase()})`;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) return (options as Json[]).map(typeOf).join(" \\| ");
  }
  if (schema.type === "array") return `${typeOf(schema.items as Json)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(" \\| ");
  if (
    schema.type === "object" &&
    schema.additionalProperties &&
    typeof schema.additionalProperties === "object"
  ) {
    return `map of ${typeOf(schema.additionalProperties as Json)}`;
  }
  if (typeof schema.type === "string")
    return schema.format ? `${schema.type} (${schema.format})` : schema.type;
  return "any JSON";
}

const cell = (text: unknown) =>
  String(text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");

function notes(schema: Json): string {
  const parts: string[] = [];
  if (typeof schema.description === "string") parts.push(schema.description);
  if (schema.default !== undefined) parts.push(`default \`${JSON.stringify(schema.default)}\``);
  for (const [key, label] of [
    ["minimum", "≥"],
    ["maximum", "≤"],
    ["minLength", "min length"],
    ["maxLength", "max length"],
    ["maxItems", "max items"],
  ] as const) {
    if (schema[key] !== undefined) parts.push(`${label} ${schema[key]}`);
  }
  return cell(parts.join("; "));
}

function fieldTable(schema: Json): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  if (Object.keys(properties).length === 0) return [`Type: ${typeOf(schema)}`, ""];
  return [
    "| field | type | required | notes |",
    "|---|---|---|---|",
    ...Object.entries(properties).map(
      ([name, field]) =>
        `| \`${name}\` | ${typeOf(field)} | ${required.has(name) ? "yes" : "no"} | ${notes(field)} |`,
    ),
    "",
  ];
}

/** contracts/server-api.md: every endpoint, grouped by tag, with request, responses and errors. */
export function renderServerApi(document: Document): string {
  const doc = document as unknown as { paths: Record<string, Record<string, Json>> };
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = ((op.tags as string[]) ?? ["Other"])[0] ?? "Other";
      const lines = [`### \`${method.toUpperCase()} ${path}\``, "", String(op.summary ?? "")];
      if (op.description) lines.push("", String(op.description));
      const params = (op.parameters ?? []) as Json[];
      if (params.length > 0) {
        lines.push("", "| parameter | in | type | required | notes |", "|---|---|---|---|---|");
        for (const p of params) {
          const schema = (p.schema ?? {}) as Json;
          lines.push(
            `| \`${p.name}\` | ${p.in} | ${typeOf(schema)} | ${p.required ? "yes" : "no"} | ${notes(schema)} |`,
          );
        }
      }
      const body = op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined;
      for (const [mediaType, content] of Object.entries(body?.content ?? {})) {
        lines.push("", `Request body (\`${mediaType}\`): ${typeOf(content.schema)}`);
      }
      lines.push("", "| status | meaning | body |", "|---|---|---|");
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        const content = (response.content ?? {}) as Record<string, { schema?: Json }>;
        const [mediaType, media] = Object.entries(content)[0] ?? [];
        lines.push(
          `| ${status} | ${cell(response.description)} | ${mediaType ? `${typeOf(media?.schema)} (\`${mediaType}\`)` : "—"} |`,
        );
      }
      lines.push("");
      byTag.set(tag, [...(byTag.get(tag) ?? []), ...lines]);
    }
  }
  return [
    "# Server API",
    "",
    "Generated from the zod schemas that validate requests (`pnpm contracts`); a test fails when this file is stale.",
    "The same contract is served by the Studio (`web`, Next.js) and by the headless server (`agentos-server`).",
    "",
    "## Conventions",
    "",
    "- **Base path** `/api`. JSON bodies need `Content-Type: application/json` (otherwise 415); bodies over `API_BODY_LIMIT_BYTES` (1 MiB) get 413.",
    "- **Auth**: `Authorization: Bearer <api token>` (tokens from `POST /api/tokens`). In local mode requests without a token act for the local workspace; a token that is sent must be valid (otherwise 401).",
    "- **Errors** are `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`, `code`, and for validation failures `errors: [{path, message}]` where `path` names the field (`body.model.providerId`, `query.limit`, `path.id`). No stack traces are ever sent.",
    "- **Lists** return `{items, nextCursor}`; pass `cursor=<nextCursor>` for the next page (`limit` 1–200, default 50). `sort` names a field, `-` in front for descending (default `-createdAt`); `q` searches names.",
    "- **Secrets** (provider API keys, MCP server tokens) are write-only: responses carry `hasApiKey` / `hasAuthToken` instead.",
    "- Ids are prefixed by kind (`agt_…`, `run_…`); a malformed id is a 400 on `path.id`, an unknown one a 404.",
    "- Interactive reference: `GET /api/docs`; machine-readable: `GET /api/openapi.json` (= `contracts/openapi.json`).",
    "",
    ...[...byTag.entries()].flatMap(([tag, lines]) => [`## ${tag}`, "", ...lines]),
  ].join("\n");
}

/** contracts/shared-types.md: every zod schema exported by packages/core, as JSON Schema field tables. */
export function renderSharedTypes(): string {
  const sections: string[] = [];
  for (const [name, value] of Object.entries(core).sort(([a], [b]) => a.localeCompare(b))) {
    if (!(value instanceof z.ZodType) || !/^[A-Z]/.test(name)) continue;
    // Request shapes read as what a caller may send (defaults optional); the rest as what is stored.
    const io = /(Create|Update|Query)$/.test(name) ? "input" : "output";
    const schema = z.toJSONSchema(value, { unrepresentable: "any", io }) as Json;
    const variants = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
    sections.push(`## ${name}`, "");
    if (typeof schema.description === "string") sections.push(schema.description, "");
    if (variants && !schema.properties) {
      variants.forEach((variant, i) => {
        const tag = Object.entries((variant.properties ?? {}) as Record<string, Json>).find(
          ([, f]) => f.const !== undefined,
        );
        sections.push(
          `Variant ${i + 1}${tag ? ` (\`${tag[0]}: ${JSON.stringify(tag[1].const)}\`)` : ""}:`,
          "",
          ...fieldTable(variant),
        );
      });
    } else {
      sections.push(...fieldTable(schema));
    }
  }
  return [
    "# Shared types",
    "",
    "Every schema exported by `packages/core`, generated with `pnpm contracts` from the zod schemas themselves; a test fails when this file is stale. Request bodies accept these shapes with defaults filled in; responses always carry every field.",
    "",
    ...sections,
  ].join("\n");
}
