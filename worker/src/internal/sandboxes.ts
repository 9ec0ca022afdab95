import { problemOf } from "@agentos/api";
import {
  Conflict,
  Id,
  Invalid,
  PayloadTooLarge,
  SandboxCreate,
  SandboxPolicy,
  SiteBindingCreate,
} from "@agentos/core";
import type { ExecEvent } from "@agentos/runtime/sandbox";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { DockerSandboxHost } from "../sandboxes/sandbox-host";

/** The largest file the internal API accepts; the contract API applies the workspace's own limit first. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const DEFAULT_OUTPUT_LIMIT_BYTES = 1024 * 1024;

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name");

/** The body of an exec, as the contract API forwards it. */
export const ExecBody = z.object({
  command: z.union([
    z.string().min(1).max(100_000),
    z.array(z.string().max(100_000)).min(1, "must name a program").max(1000),
  ]),
  stdin: z
    .string()
    .max(16 * 1024 * 1024)
    .optional(),
  env: z.record(EnvName, z.string().max(32_000)).optional(),
  workdir: z.string().startsWith("/", "must be an absolute path").max(4096).optional(),
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  outputLimitBytes: z
    .number()
    .int()
    .min(0)
    .max(16 * 1024 * 1024)
    .default(DEFAULT_OUTPUT_LIMIT_BYTES),
});

const PathQuery = z.object({ path: z.string().min(1).max(4096) });

async function parse<S extends z.ZodType>(
  schema: S,
  value: unknown | Promise<unknown>,
  where: string,
): Promise<z.output<S>> {
  let input: unknown;
  try {
    input = await value;
  } catch {
    throw Invalid.field(where, "is not valid JSON");
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  throw new Invalid(errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors });
}

/** The workspace and (when the route has one) sandbox id of the path. */
async function params(c: Context): Promise<{ workspaceId: string; id: string }> {
  const id = c.req.param("id");
  const workspaceId = (await parse(Id, c.req.param("workspaceId"), "path.workspaceId")) as string;
  return { workspaceId, id: id === undefined ? "" : ((await parse(Id, id, "path.id")) as string) };
}

/**
 * The worker's internal sandbox API, mounted under /internal (behind the worker token). Web and
 * the headless server call it for the sandboxes this worker hosts; the workspace comes in the path
 * from the caller's principal and scopes every lookup.
 */
export function createSandboxRoutes(host: DockerSandboxHost): Hono {
  const app = new Hono();
  const base = "/workspaces/:workspaceId/sandboxes";

  app.post(base, async (c) => {
    const input = await parse(SandboxCreate, c.req.json(), "body");
    return c.json(await host.create((await params(c)).workspaceId, input), 201);
  });

  app.post("/workspaces/:workspaceId/agents/:agentId/sandbox", async (c) => {
    const { workspaceId } = await params(c);
    const agentId = (await parse(Id, c.req.param("agentId"), "path.agentId")) as string;
    const { policy } = await parse(z.object({ policy: SandboxPolicy }), c.req.json(), "body");
    const { sandboxId } = await host.sandboxForAgent(workspaceId, agentId, policy);
    return c.json(await host.get(workspaceId, sandboxId), 200);
  });

  app.get(`${base}/:id`, async (c) => {
    const { workspaceId, id } = await params(c);
    return c.json(await host.get(workspaceId, id), 200);
  });

  app.post(`${base}/:id/start`, async (c) => {
    const { workspaceId, id } = await params(c);
    return c.json(await host.start(workspaceId, id), 200);
  });

  app.post(`${base}/:id/stop`, async (c) => {
    const { workspaceId, id } = await params(c);
    return c.json(await host.stop(workspaceId, id), 200);
  });

  app.delete(`${base}/:id`, async (c) => {
    const { workspaceId, id } = await params(c);
    await host.destroy(workspaceId, id);
    return c.body(null, 204);
  });

  app.post(`${base}/:id/exec`, async (c) => {
    const { workspaceId, id } = await params(c);
    const body = await parse(ExecBody, c.req.json(), "body");
    // Errors found before the command starts are plain problem+json answers; once the stream is
    // open, a failure becomes its last line.
    const sandbox = await host.get(workspaceId, id);
    if (sandbox.state === "removed") throw new Conflict(`Sandbox ${id} was deleted; create a new one.`);
    const aborter = new AbortController();
    const encoder = new TextEncoder();
    const line = (event: ExecEvent) => encoder.encode(`${JSON.stringify(event)}\n`);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        host
          .exec(
            workspaceId,
            id,
            {
              ...body,
              timeoutMs: body.timeoutMs ?? sandbox.policy.execTimeoutMs,
            },
            {
              signal: aborter.signal,
              onChunk: (chunk) => {
                if (!aborter.signal.aborted) controller.enqueue(line({ type: "chunk", ...chunk }));
              },
            },
          )
          .then(
            (result) => {
              controller.enqueue(line({ type: "result", ...result }));
              controller.close();
            },
            (error: unknown) => {
              if (aborter.signal.aborted) return;
              const { type: _type, errors: _errors, ...problem } = problemOf(error);
              controller.enqueue(line({ type: "error", ...problem }));
              controller.close();
            },
          );
      },
      cancel() {
        // The caller went away: kill the command rather than let it run on unobserved.
        aborter.abort(new Error("The client closed the exec stream."));
      },
    });
    return new Response(stream, {
      status: 200,
      headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" },
    });
  });

  app.get(`${base}/:id/files`, async (c) => {
    const { workspaceId, id } = await params(c);
    const { path } = await parse(PathQuery, c.req.query(), "query");
    return c.json({ items: await host.listFiles(workspaceId, id, path) }, 200);
  });

  app.get(`${base}/:id/files/content`, async (c) => {
    const { workspaceId, id } = await params(c);
    const { path } = await parse(PathQuery, c.req.query(), "query");
    const bytes = await host.readFile(workspaceId, id, path);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/octet-stream",
      "content-length": String(bytes.byteLength),
    });
  });

  app.put(
    `${base}/:id/files/content`,
    bodyLimit({
      maxSize: MAX_FILE_BYTES,
      onError: () => {
        throw new PayloadTooLarge(`Files over ${MAX_FILE_BYTES} bytes cannot be put into a sandbox.`);
      },
    }),
    async (c) => {
      const { workspaceId, id } = await params(c);
      const { path } = await parse(PathQuery, c.req.query(), "query");
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      await host.writeFile(workspaceId, id, path, bytes);
      return c.json({ path, size: bytes.byteLength }, 201);
    },
  );

  app.post(`${base}/:id/site-bindings`, async (c) => {
    const { workspaceId, id } = await params(c);
    const input = await parse(SiteBindingCreate, c.req.json(), "body");
    return c.json(await host.bindSite(workspaceId, id, input), 201);
  });

  app.delete(`${base}/:id/site-bindings/:bindingId`, async (c) => {
    const { workspaceId, id } = await params(c);
    await host.unbindSite(
      workspaceId,
      id,
      (await parse(Id, c.req.param("bindingId"), "path.bindingId")) as string,
    );
    return c.body(null, 204);
  });

  return app;
}
