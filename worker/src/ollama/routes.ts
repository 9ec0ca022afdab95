import {
  Conflict,
  Invalid,
  OllamaModelName,
  type OllamaPull,
  OllamaPullCreate,
  OllamaPullId,
} from "@agentos/core";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { OllamaHost } from "./host";
import { localModelsOf, modelDetailsOf, runningModelsOf } from "./models";
import { isPullFinished } from "./pull-progress";
import type { ModelPulls } from "./pulls";

const NameQuery = z.object({ name: OllamaModelName });

const KEEP_ALIVE_MS = 15_000;

function parse<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  throw new Invalid(errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors });
}

async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw Invalid.field("body", "is not valid JSON");
  }
}

/**
 * The worker's internal Ollama API, mounted at /internal/ollama behind the worker token: web and
 * the headless server route `/api/ollama/*` here, to the worker that hosts Ollama.
 */
export function createOllamaRoutes(host: OllamaHost, pulls: ModelPulls): Hono {
  const app = new Hono();

  app.get("/status", async (c) => c.json(await host.status()));
  app.post("/install", async (c) => c.json(await host.install(), 202));

  app.get("/models", async (c) => {
    const api = await host.api();
    const [tags, ps] = await Promise.all([api.tags(), api.ps()]);
    return c.json({ items: localModelsOf(tags), running: runningModelsOf(ps) });
  });
  app.get("/models/details", async (c) => {
    const { name } = parse(NameQuery, c.req.query(), "query");
    return c.json(modelDetailsOf(name, await (await host.api()).show(name)));
  });
  app.delete("/models", async (c) => {
    const { name } = parse(NameQuery, c.req.query(), "query");
    if (pulls.isPulling(name)) {
      throw new Conflict(
        `"${name}" is being pulled: cancel the pull (DELETE /api/ollama/pulls/{id}) before deleting it.`,
      );
    }
    await (await host.api()).remove(name);
    return c.body(null, 204);
  });

  app.post("/pulls", async (c) => {
    const { name } = parse(OllamaPullCreate, await jsonBody(c), "body");
    return c.json(await pulls.start(name), 202);
  });
  app.get("/pulls", (c) => c.json({ items: pulls.list() }));
  app.get("/pulls/:id", (c) => c.json(pulls.get(parse(OllamaPullId, c.req.param("id"), "path.id"))));
  app.delete("/pulls/:id", (c) => c.json(pulls.cancel(parse(OllamaPullId, c.req.param("id"), "path.id"))));

  // Every event is a whole snapshot, so a client that (re)connects gets the current state first
  // and then what follows; nothing needs replaying, and Last-Event-ID is not needed to resume.
  app.get("/pulls/:id/events", (c) => {
    const id = parse(OllamaPullId, c.req.param("id"), "path.id");
    pulls.get(id); // 404 before the stream starts
    return streamSSE(c, async (stream) => {
      // Written by the subscription: only the newest snapshot matters (a slow reader skips some).
      const pending: { latest: OllamaPull | null } = { latest: null };
      let wake: (() => void) | null = null;
      let isClosed = false;
      stream.onAbort(() => {
        isClosed = true;
        wake?.();
      });
      const unsubscribe = pulls.subscribe(id, (pull) => {
        pending.latest = pull;
        wake?.();
      });
      try {
        while (!isClosed) {
          if (!pending.latest) {
            let timer: NodeJS.Timeout | undefined;
            await new Promise<void>((resolve) => {
              wake = resolve;
              timer = setTimeout(resolve, KEEP_ALIVE_MS);
            });
            clearTimeout(timer);
            wake = null;
          }
          const pull = pending.latest;
          pending.latest = null;
          if (isClosed) break;
          if (!pull) {
            await stream.write(": keep-alive\n\n");
            continue;
          }
          await stream.writeSSE({ id: String(pull.seq), event: "progress", data: JSON.stringify(pull) });
          if (isPullFinished(pull)) {
            await stream.writeSSE({ event: "end", data: JSON.stringify({ status: pull.status }) });
            break;
          }
        }
      } finally {
        unsubscribe();
      }
    });
  });

  return app;
}
