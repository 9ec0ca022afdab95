import { createHash } from "node:crypto";
import { File, FileOwner, Invalid, PayloadTooLarge, UnsupportedMediaType } from "@agentos/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv } from "../context";
import { limitBody } from "../middleware";
import { commonErrors, IdParams, json, ListQuery, pageOf, problem } from "../openapi-schemas";
import { requireReferences } from "./service";

const FileSchema = File.meta({ id: "File" });
const notFound = problem("No such file in this workspace");
const ownerRepos = { agent: "agents", run: "runs", conversation: "conversations" } as const;

const Upload = z.object({
  file: z
    .instanceof(globalThis.File, { message: "attach the file as the multipart field `file`" })
    .meta({ type: "string", format: "binary" }),
  ownerKind: FileOwner.shape.kind.default("workspace"),
  ownerId: FileOwner.shape.id.unwrap().optional(),
});

/** Files: multipart upload (size-limited), metadata, download and delete. Bytes are stored in libSQL. */
export function registerFileRoutes(app: OpenAPIHono<ApiEnv>, { repos }: ApiDeps): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/files",
      tags: ["Files"],
      summary: "Upload a file",
      description:
        "multipart/form-data with the field `file`; larger than the workspace's fileMaxBytes → 413.",
      middleware: [
        async (c, next) => {
          if (!/^multipart\/form-data\b/i.test(c.req.header("content-type") ?? "")) {
            throw new UnsupportedMediaType("Upload files as multipart/form-data with the field `file`.");
          }
          const { fileMaxBytes } = await repos.settings.get(c.get("principal").workspaceId);
          // Multipart framing adds a little; the file itself is checked exactly below.
          return limitBody(fileMaxBytes + 64 * 1024, "upload")(c, next);
        },
      ] as const,
      request: {
        body: { required: true, content: { "multipart/form-data": { schema: Upload } } },
      },
      responses: {
        201: json(FileSchema, "The stored file"),
        413: problem("The file is larger than the workspace's limit"),
        415: problem("The body is not multipart/form-data"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const { file, ownerKind, ownerId } = c.req.valid("form");
      const { fileMaxBytes } = await repos.settings.get(workspaceId);
      if (file.size > fileMaxBytes) {
        throw new PayloadTooLarge(
          `The file is ${file.size} bytes; this workspace accepts up to ${fileMaxBytes}. Raise fileMaxBytes in Settings or send a smaller file.`,
        );
      }
      if (ownerKind !== "workspace") {
        if (!ownerId) throw Invalid.field("body.ownerId", `an owner of kind ${ownerKind} needs its id`);
        await requireReferences(repos, workspaceId, [["body.ownerId", ownerRepos[ownerKind], ownerId]]);
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const stored = await repos.files.insert(workspaceId, {
        name: file.name || "upload",
        size: bytes.byteLength,
        mediaType: file.type || "application/octet-stream",
        sha256: createHash("sha256").update(bytes).digest("hex"),
        owner: { kind: ownerKind, id: ownerKind === "workspace" ? null : (ownerId ?? null) },
      });
      await repos.fileContents.put(stored.id, bytes);
      return c.json(stored as never, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/files",
      tags: ["Files"],
      summary: "List files",
      request: {
        query: ListQuery.extend({
          ownerKind: FileOwner.shape.kind.optional(),
          ownerId: z.string().max(40).optional(),
        }),
      },
      responses: { 200: json(pageOf(FileSchema, "FilePage"), "A page of files"), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor, sort, q, ...filters } = c.req.valid("query");
      return c.json(
        (await repos.files.list(c.get("principal").workspaceId, {
          limit,
          cursor,
          sort,
          q,
          filters,
        })) as never,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/files/{id}",
      tags: ["Files"],
      summary: "Get a file's metadata",
      request: { params: IdParams },
      responses: { 200: json(FileSchema, "The file"), 404: notFound, ...commonErrors },
    }),
    async (c) =>
      c.json((await repos.files.get(c.get("principal").workspaceId, c.req.valid("param").id)) as never, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/files/{id}/content",
      tags: ["Files"],
      summary: "Download a file",
      request: { params: IdParams },
      responses: {
        200: {
          description: "The bytes, with the stored media type",
          content: { "application/octet-stream": { schema: z.string().meta({ format: "binary" }) } },
        },
        404: notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const file = await repos.files.get(c.get("principal").workspaceId, c.req.valid("param").id);
      const bytes = await repos.fileContents.get(file.id);
      return c.body(new Uint8Array(bytes), 200, {
        "content-type": file.mediaType,
        "content-length": String(bytes.byteLength),
        "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        "x-content-type-options": "nosniff",
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/files/{id}",
      tags: ["Files"],
      summary: "Delete a file",
      request: { params: IdParams },
      responses: { 204: { description: "Deleted" }, 404: notFound, ...commonErrors },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const id = c.req.valid("param").id;
      await repos.files.delete(workspaceId, id);
      await repos.fileContents.delete(id);
      return c.body(null, 204);
    },
  );
}
