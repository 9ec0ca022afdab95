// The baseline of the API benchmark: the same SQL as the contract API's agent routes, on the same
// libSQL file, with nothing between Hono and the query (no OpenAPI validation, drizzle, principal
// or problem+json layer). The headless server is measured against this.
import { AgentLimits, LOCAL_WORKSPACE_ID, newId, SandboxPolicy } from "@agentos/core";
import { serve } from "@hono/node-server";
import { createClient, type Row } from "@libsql/client";
import { Hono } from "hono";
import { z } from "zod";

const BareServerEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(0),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.string().startsWith("file:", "must be a file: URL of the studio database"),
});

// Same as packages/db/src/client.ts, so both servers wait on the write lock the same way.
const BUSY_TIMEOUT_MS = 10_000;
const DEFAULT_SANDBOX = SandboxPolicy.parse({});
const DEFAULT_LIMITS = AgentLimits.parse({});

function agentOf(row: Row) {
  return {
    id: row.id as string,
    workspaceId: row.workspace_id as string,
    name: row.name as string,
    description: row.description as string,
    instructions: row.instructions as string,
    model: JSON.parse(row.model as string),
    toolIds: JSON.parse(row.tool_ids as string),
    mcpServerIds: JSON.parse(row.mcp_server_ids as string),
    sandbox: JSON.parse(row.sandbox as string),
    limits: JSON.parse(row.limits as string),
    outputSchema: row.output_schema === null ? null : JSON.parse(row.output_schema as string),
    learnFromFeedback: Number(row.learn_from_feedback) === 1,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

/** The bare app: `GET /api/agents` and `POST /api/agents` straight onto a libSQL client. */
function createBareApp(client: ReturnType<typeof createClient>): Hono {
  const app = new Hono();

  app.get("/api/agents", async (c) => {
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 50) || 50, 1), 200);
    const { rows } = await client.execute({
      sql: "SELECT * FROM agents WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
      args: [LOCAL_WORKSPACE_ID, limit + 1],
    });
    const items = rows.slice(0, limit).map(agentOf);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? Buffer.from(JSON.stringify({ v: last.createdAt, id: last.id })).toString("base64url")
        : null;
    return c.json({ items, nextCursor });
  });

  app.post("/api/agents", async (c) => {
    const body = (await c.req.json()) as {
      name?: unknown;
      model?: { providerId?: unknown; model?: unknown };
    };
    const name = typeof body.name === "string" ? body.name.trim() : "";
    const providerId = body.model?.providerId;
    const model = body.model?.model;
    if (!name || typeof providerId !== "string" || typeof model !== "string") {
      return c.json({ title: "Invalid request", status: 400 }, 400);
    }
    // The contract API checks the provider reference before inserting; so does the baseline.
    const provider = await client.execute({
      sql: "SELECT 1 FROM llm_providers WHERE workspace_id = ? AND id = ? LIMIT 1",
      args: [LOCAL_WORKSPACE_ID, providerId],
    });
    if (provider.rows.length === 0) return c.json({ title: "Unknown provider", status: 400 }, 400);
    const now = new Date().toISOString();
    const agent = {
      id: newId("agent"),
      workspaceId: LOCAL_WORKSPACE_ID,
      name,
      description: "",
      instructions: "",
      model: { providerId, model },
      toolIds: [],
      mcpServerIds: [],
      sandbox: DEFAULT_SANDBOX,
      limits: DEFAULT_LIMITS,
      outputSchema: null,
      learnFromFeedback: false,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await client.execute({
        sql: `INSERT INTO agents (id, workspace_id, name, description, instructions, model, tool_ids,
                mcp_server_ids, sandbox, limits, output_schema, learn_from_feedback, created_at, updated_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          agent.id,
          agent.workspaceId,
          agent.name,
          agent.description,
          agent.instructions,
          JSON.stringify(agent.model),
          JSON.stringify(agent.toolIds),
          JSON.stringify(agent.mcpServerIds),
          JSON.stringify(agent.sandbox),
          JSON.stringify(agent.limits),
          null,
          0,
          agent.createdAt,
          agent.updatedAt,
        ],
      });
    } catch (error) {
      if (String((error as Error).message).includes("UNIQUE constraint failed")) {
        return c.json({ title: "Agent already exists", status: 409 }, 409);
      }
      throw error;
    }
    return c.json(agent, 201);
  });

  return app;
}

async function main(): Promise<void> {
  const env = BareServerEnv.parse(process.env);
  const client = createClient({ url: env.DATABASE_URL, timeout: BUSY_TIMEOUT_MS });
  await client.execute("PRAGMA journal_mode = WAL");
  const server = serve({ fetch: createBareApp(client).fetch, port: env.PORT, hostname: env.HOST });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  console.log(`bare-server listening on http://${env.HOST}:${port}`);
  const stop = () =>
    server.close(() => {
      client.close();
      process.exit(0);
    });
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

try {
  await main();
} catch (error) {
  console.error(`bare-server: ${(error as Error).message}`);
  process.exit(1);
}
