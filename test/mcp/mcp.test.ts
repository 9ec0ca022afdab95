// MCP over Streamable HTTP, driven by the SDK's own Client against both mounts — `next start` of
// web and the headless server — each a real process on loopback with a fresh libSQL file, in
// local mode (no token needed from loopback).
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentOsClient, createClient } from "@agentos/client";
import type { Agent, Conversation, Message, Run, Stats, Tool, Workflow } from "@agentos/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAgent, makeHttpTool, makeProvider, unique } from "../harness/factories";
import { type ApiTarget, REPO_ROOT, TARGETS, until } from "../harness/processes";
import {
  callTool,
  connectMcp,
  initializeMessage,
  type McpConnection,
  messagesOf,
  postMcp,
  postMcpWithHeaders,
  structuredOf,
  textOf,
} from "./harness";

/** The tools contracts/mcp.md documents; tools/list must offer exactly these. */
const DOCUMENTED_TOOLS = [
  "approve_run",
  "cancel_run",
  "chat_with_agent",
  "create_agent",
  "execute_workflow",
  "get_agent",
  "get_run",
  "get_stats",
  "list_agents",
  "list_runs",
  "list_tools",
  "list_workflows",
  "reject_run",
  "run_agent",
  "sandbox_exec",
  "sandbox_list_files",
  "sandbox_read_file",
  "sandbox_write_file",
  "update_agent",
];
const MISSING_AGENT = "agt_01jh5x4y8k2m3n4p5q6r7s8t9v";
const MISSING_SANDBOX = "sbx_01jh5x4y8k2m3n4p5q6r7s8t9v";
const PROTOCOL_VERSION = "2025-06-18";
const require = createRequire(import.meta.url);

type Page<T> = { items: T[]; nextCursor: string | null };

describe.each(TARGETS)("MCP on $name", ({ start }) => {
  let target: ApiTarget;
  let rest: AgentOsClient;
  let mcp: McpConnection;

  beforeAll(async () => {
    target = await start();
    rest = createClient({ baseUrl: target.baseUrl });
    mcp = await connectMcp(target.baseUrl);
  }, 120_000);

  afterAll(async () => {
    await mcp?.close();
    await target?.stop();
  });

  it("initializes a session and lists every documented tool with a description and an input schema", async () => {
    expect(mcp.transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(mcp.client.getServerVersion()).toMatchObject({ name: "agentos-studio" });
    expect(mcp.client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {} });
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(DOCUMENTED_TOOLS);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type, tool.name).toBe("object");
    }
    const createAgent = tools.find((t) => t.name === "create_agent");
    expect(createAgent?.inputSchema.required).toEqual(expect.arrayContaining(["name", "model"]));
    expect(tools.find((t) => t.name === "list_agents")?.annotations).toMatchObject({ readOnlyHint: true });
  });

  describe("tools", () => {
    it("create_agent, get_agent, list_agents and update_agent go through the contract API", async () => {
      const provider = await makeProvider(rest);
      const name = unique("mcp-agent");
      const created = structuredOf<Agent>(
        await callTool(mcp.client, "create_agent", {
          name,
          model: { providerId: provider.id, model: "test-model" },
          instructions: "Be brief.",
        }),
      );
      expect(created).toMatchObject({ name, sandbox: { enabled: false }, limits: { maxSteps: 10 } });
      expect(await rest.agents.get(created.id)).toEqual(created);
      expect(structuredOf<Agent>(await callTool(mcp.client, "get_agent", { agentId: created.id }))).toEqual(
        created,
      );
      const listed = structuredOf<Page<Agent>>(await callTool(mcp.client, "list_agents", { q: name }));
      expect(listed.items.map((a) => a.id)).toEqual([created.id]);
      const updated = structuredOf<Agent>(
        await callTool(mcp.client, "update_agent", {
          agentId: created.id,
          instructions: "Answer in French.",
        }),
      );
      expect(updated).toMatchObject({ id: created.id, name, instructions: "Answer in French." });
    });

    it("run_agent with wait: false returns the queued run; get_run, list_runs and cancel_run follow it", async () => {
      const agent = await makeAgent(rest);
      const started = await callTool(mcp.client, "run_agent", {
        agentId: agent.id,
        input: "hi",
        wait: false,
      });
      const { run } = structuredOf<{ run: Run }>(started);
      expect(run).toMatchObject({ status: "queued", kind: "agent", agentId: agent.id, input: "hi" });
      expect(textOf(started)).toContain(run.id);
      const fetched = await callTool(mcp.client, "get_run", { runId: run.id });
      expect(structuredOf<{ run: Run }>(fetched).run).toMatchObject({
        id: run.id,
        status: "queued",
        costUsd: 0,
      });
      const listed = structuredOf<Page<Run>>(
        await callTool(mcp.client, "list_runs", { agentId: agent.id, status: "queued" }),
      );
      expect(listed.items.map((r) => r.id)).toEqual([run.id]);
      const cancelled = structuredOf<{ run: Run }>(
        await callTool(mcp.client, "cancel_run", { runId: run.id }),
      );
      expect(cancelled.run).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
      const again = await callTool(mcp.client, "cancel_run", { runId: run.id });
      expect(again.isError).toBe(true);
      expect(textOf(again)).toMatch(/409.*already cancelled/s);
    });

    it("run_agent waiting relays a progress notification per status change until the run is final", async () => {
      const agent = await makeAgent(rest);
      const progress: string[] = [];
      const call = callTool(
        mcp.client,
        "run_agent",
        { agentId: agent.id, input: "wait for me", timeoutSeconds: 60 },
        { onprogress: (p) => void progress.push(p.message ?? ""), resetTimeoutOnProgress: true },
      );
      let runId = "";
      await until(async () => {
        runId = (await rest.runs.list({ agentId: agent.id })).items[0]?.id ?? "";
        return runId !== "" && progress.length > 0;
      }, "the queued run and its first progress notification");
      expect(progress).toEqual([`run ${runId} queued`]);
      // No engine runs in this process: move the run to a final state through the API.
      await rest.runs.cancel(runId);
      const result = await call;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(`Run ${runId} was cancelled`);
      expect((result.structuredContent as { run: Run }).run.status).toBe("cancelled");
      expect(progress).toEqual([`run ${runId} queued`, `run ${runId} cancelled`]);
    });

    it("run_agent gives up waiting at timeoutSeconds and says the run goes on", async () => {
      const agent = await makeAgent(rest);
      const result = await callTool(mcp.client, "run_agent", { agentId: agent.id, timeoutSeconds: 1 });
      const body = structuredOf<{ run: Run; timedOut: boolean }>(result);
      expect(body).toMatchObject({ timedOut: true, run: { status: "queued" } });
      expect(textOf(result)).toContain("still queued after 1 s");
      await rest.runs.cancel(body.run.id);
    });

    it("chat_with_agent stores the user's message and queues a chat run, and continues a conversation", async () => {
      const agent = await makeAgent(rest);
      const first = structuredOf<{ run: Run; conversationId: string; messageId: string }>(
        await callTool(mcp.client, "chat_with_agent", {
          agentId: agent.id,
          message: "Hello there",
          wait: false,
        }),
      );
      expect(first.run).toMatchObject({
        kind: "chat",
        status: "queued",
        agentId: agent.id,
        conversationId: first.conversationId,
      });
      const conversation = await rest.conversations.get(first.conversationId);
      expect(conversation).toMatchObject({ agentId: agent.id, title: "Hello there" });
      await rest.runs.cancel(first.run.id);

      const progress: string[] = [];
      const call = callTool(
        mcp.client,
        "chat_with_agent",
        { agentId: agent.id, message: "Still there?", conversationId: first.conversationId },
        { onprogress: (p) => void progress.push(p.message ?? "") },
      );
      let runId = "";
      await until(async () => {
        runId =
          (await rest.runs.list({ conversationId: first.conversationId, status: "queued" })).items[0]?.id ??
          "";
        return runId !== "" && progress.length > 0;
      }, "the second chat run");
      await rest.runs.cancel(runId);
      const second = await call;
      expect(second.isError).toBe(true);
      expect(progress.at(-1)).toBe(`run ${runId} cancelled`);
      const messages = await rest.conversations.messages.list(first.conversationId);
      expect(messages.items.map((m: Message) => [m.role, m.parts[0]])).toEqual([
        ["user", { type: "text", text: "Hello there" }],
        ["user", { type: "text", text: "Still there?" }],
      ]);

      const other = await makeAgent(rest);
      const foreign = await callTool(mcp.client, "chat_with_agent", {
        agentId: other.id,
        message: "hi",
        conversationId: first.conversationId,
        wait: false,
      });
      expect(foreign.isError).toBe(true);
      expect(textOf(foreign)).toMatch(/^conversationId: conversation conv_\w+ belongs to agent/);
      const conversations = await rest.conversations.list({ agentId: other.id });
      expect(conversations.items as Conversation[]).toEqual([]);
    });

    it("list_workflows and execute_workflow", async () => {
      const workflow = await rest.workflows.create({
        name: unique("mcp-wf"),
        graph: { nodes: [{ id: "out", kind: "output" }], edges: [] },
      });
      const listed = structuredOf<Page<Workflow>>(
        await callTool(mcp.client, "list_workflows", { q: workflow.name }),
      );
      expect(listed.items.map((w) => w.id)).toEqual([workflow.id]);
      const { run } = structuredOf<{ run: Run }>(
        await callTool(mcp.client, "execute_workflow", {
          workflowId: workflow.id,
          input: { n: 1 },
          wait: false,
        }),
      );
      expect(run).toMatchObject({
        kind: "workflow",
        workflowId: workflow.id,
        status: "queued",
        input: { n: 1 },
      });
      await rest.runs.cancel(run.id);
    });

    it("list_tools lists the workspace's tools, filtered by kind", async () => {
      const tool = await makeHttpTool(rest);
      const listed = structuredOf<Page<Tool>>(
        await callTool(mcp.client, "list_tools", { kind: "http", q: tool.name }),
      );
      expect(listed.items.map((t) => t.id)).toEqual([tool.id]);
    });

    it("get_stats summarises the workspace", async () => {
      const result = await callTool(mcp.client, "get_stats", {});
      const stats = structuredOf<Stats>(result);
      expect(stats.counts.agents).toBeGreaterThan(0);
      expect(stats.to).toBe(new Date().toISOString().slice(0, 10));
      expect(textOf(result)).toMatch(/run\(s\), \$\d+\.\d{4} spent/);
    });

    it("approve_run and reject_run answer a tool error for a run that is not waiting", async () => {
      const agent = await makeAgent(rest);
      const run = await rest.agents.execute(agent.id, "needs approval?");
      for (const tool of ["approve_run", "reject_run"]) {
        const result = await callTool(mcp.client, tool, { runId: run.id, comment: "ok" });
        expect(result.isError, tool).toBe(true);
        // 409 once the engine's approval routes exist; a plain "cannot yet" while they do not.
        expect(textOf(result), tool).toMatch(/not waiting|cannot (approve|reject) runs yet/);
      }
      await rest.runs.cancel(run.id);
    });

    it("sandbox tools answer a clear tool error when the sandbox API cannot serve them", async () => {
      const calls = [
        ["sandbox_exec", { sandboxId: MISSING_SANDBOX, command: ["ls", "-la"] }],
        ["sandbox_list_files", { sandboxId: MISSING_SANDBOX }],
        ["sandbox_read_file", { sandboxId: MISSING_SANDBOX, path: "/workspace/a.txt" }],
        [
          "sandbox_write_file",
          { sandboxId: MISSING_SANDBOX, path: "/workspace/a.txt", content: "aGk=", encoding: "base64" },
        ],
      ] as const;
      for (const [tool, args] of calls) {
        const result = await callTool(mcp.client, tool, args);
        expect(result.isError, tool).toBe(true);
        expect(textOf(result), tool).toMatch(/sandbox/i);
      }
    });
  });

  describe("errors", () => {
    it("invalid arguments are tool errors that name the field", async () => {
      const cases: Array<[string, Record<string, unknown>, string]> = [
        [
          "create_agent",
          { name: 42, model: { providerId: "prov_01jh5x4y8k2m3n4p5q6r7s8t9v", model: "m" } },
          "- name:",
        ],
        ["get_agent", { agentId: "not-an-id" }, "- agentId:"],
        ["list_runs", { status: "sleeping" }, "- status:"],
        ["run_agent", { agentId: MISSING_AGENT, timeoutSeconds: 0 }, "- timeoutSeconds:"],
        [
          "sandbox_write_file",
          { sandboxId: MISSING_SANDBOX, path: "/a", content: "!!", encoding: "base64" },
          "content:",
        ],
      ];
      for (const [tool, args, field] of cases) {
        const result = await callTool(mcp.client, tool, args);
        expect(result.isError, tool).toBe(true);
        expect(textOf(result), tool).toContain(field);
      }
    });

    it("the API's own validation comes back as a tool error naming the argument", async () => {
      const missingProvider = await callTool(mcp.client, "create_agent", {
        name: unique("orphan"),
        model: { providerId: "prov_01jh5x4y8k2m3n4p5q6r7s8t9v", model: "m" },
      });
      expect(missingProvider.isError).toBe(true);
      expect(textOf(missingProvider)).toMatch(
        /^Invalid request \(400\)\. Fix these arguments:\n- model\.providerId: /,
      );
      const agent = await makeAgent(rest);
      const badTool = await callTool(mcp.client, "update_agent", {
        agentId: agent.id,
        toolIds: ["tool_01jh5x4y8k2m3n4p5q6r7s8t9v"],
      });
      expect(textOf(badTool)).toContain("- toolIds.0: ");
      const missing = await callTool(mcp.client, "run_agent", { agentId: MISSING_AGENT, wait: false });
      expect(missing.isError).toBe(true);
      expect(textOf(missing)).toContain("Agent not found (404)");
      const duplicate = await callTool(mcp.client, "create_agent", { name: agent.name, model: agent.model });
      expect(textOf(duplicate)).toMatch(/^Conflict \(409\)/);
    });

    it("an unknown tool is a JSON-RPC error (-32602), not a tool result", async () => {
      await expect(mcp.client.callTool({ name: "no_such_tool", arguments: {} })).rejects.toMatchObject({
        code: -32602,
        message: expect.stringContaining('Unknown tool "no_such_tool"'),
      });
    });

    it("malformed JSON-RPC gets a JSON-RPC error and the endpoint keeps serving", async () => {
      const notJson = await postMcp(target.baseUrl, "{nope");
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 }, id: null });
      const notRpc = await postMcp(target.baseUrl, JSON.stringify({ hello: "world" }));
      expect(notRpc.status).toBe(400);
      expect(await notRpc.json()).toMatchObject({ error: { code: -32700 } });
      const inSession = await postMcp(target.baseUrl, '{"jsonrpc":"2.0",', {
        "mcp-session-id": mcp.transport.sessionId ?? "",
        "mcp-protocol-version": PROTOCOL_VERSION,
      });
      expect(inSession.status).toBe(400);
      expect(await inSession.json()).toMatchObject({ error: { code: -32700 } });
      const wrongParams = await postMcp(
        target.baseUrl,
        JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { arguments: {} } }),
      );
      // The SDK answers params that fail its schema with -32603 and the zod issues (naming params.name).
      expect((await messagesOf(wrongParams))[0]).toMatchObject({
        id: 3,
        error: { code: expect.any(Number), message: expect.stringMatching(/"params",\s*"name"/) },
      });
      const unknownMethod = await postMcp(
        target.baseUrl,
        JSON.stringify({ jsonrpc: "2.0", id: 4, method: "agents/teleport", params: {} }),
      );
      expect((await messagesOf(unknownMethod))[0]).toMatchObject({ id: 4, error: { code: -32601 } });
      expect((await mcp.client.listTools()).tools).toHaveLength(DOCUMENTED_TOOLS.length);
    });
  });

  describe("transport", () => {
    it("answers a stateless request, without initialize or a session", async () => {
      const response = await postMcp(
        target.baseUrl,
        JSON.stringify({
          jsonrpc: "2.0",
          id: 7,
          method: "tools/call",
          params: { name: "list_agents", arguments: { limit: 1 } },
        }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("mcp-session-id")).toBeNull();
      const [message] = await messagesOf(response);
      expect(message).toMatchObject({ id: 7, result: { structuredContent: { items: expect.any(Array) } } });
      const list = await postMcp(
        target.baseUrl,
        JSON.stringify({ jsonrpc: "2.0", id: 8, method: "tools/list" }),
      );
      const [listed] = await messagesOf(list);
      expect(listed).toMatchObject({ id: 8, result: { tools: expect.any(Array) } });
      expect((listed as { result: { tools: unknown[] } }).result.tools).toHaveLength(DOCUMENTED_TOOLS.length);
    });

    it("streams tool answers as SSE and closes sessions on DELETE", async () => {
      const opened = await postMcp(target.baseUrl, initializeMessage(1));
      expect(opened.status).toBe(200);
      expect(opened.headers.get("content-type")).toContain("text/event-stream");
      const sessionId = opened.headers.get("mcp-session-id") ?? "";
      expect((await messagesOf(opened))[0]).toMatchObject({
        id: 1,
        result: { serverInfo: { name: "agentos-studio" } },
      });
      const session = { "mcp-session-id": sessionId, "mcp-protocol-version": PROTOCOL_VERSION };
      const call = await postMcp(
        target.baseUrl,
        JSON.stringify({
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name: "get_stats", arguments: {} },
        }),
        session,
      );
      expect(call.headers.get("content-type")).toContain("text/event-stream");
      expect((await messagesOf(call))[0]).toMatchObject({
        id: 2,
        result: { structuredContent: { counts: {} } },
      });
      const closed = await fetch(new URL("/mcp", target.baseUrl), { method: "DELETE", headers: session });
      expect(closed.status).toBe(200);
      const after = await postMcp(
        target.baseUrl,
        JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/list" }),
        session,
      );
      expect(after.status).toBe(404);
      expect(await after.json()).toMatchObject({ error: { code: -32001 } });
    });

    it("20 concurrent sessions calling tools all succeed and each gets its own answers", async () => {
      const provider = await makeProvider(rest);
      const prefix = unique("session");
      const sessions = await Promise.all(Array.from({ length: 20 }, () => connectMcp(target.baseUrl)));
      expect(new Set(sessions.map((s) => s.transport.sessionId)).size).toBe(20);
      const outcomes = await Promise.all(
        sessions.map(async ({ client }, i) => {
          // Zero-padded, so that no name is a substring of another (list_agents' q searches substrings).
          const name = `${prefix}-${String(i).padStart(2, "0")}`;
          const agent = structuredOf<Agent>(
            await callTool(client, "create_agent", { name, model: { providerId: provider.id, model: "m" } }),
          );
          const progress: string[] = [];
          const { run } = structuredOf<{ run: Run }>(
            await callTool(
              client,
              "run_agent",
              { agentId: agent.id, input: name, wait: false },
              {
                onprogress: (p) => void progress.push(p.message ?? ""),
              },
            ),
          );
          const got = structuredOf<Agent>(await callTool(client, "get_agent", { agentId: agent.id }));
          const listed = structuredOf<Page<Agent>>(await callTool(client, "list_agents", { q: name }));
          return { name, agent, run, got, listed, progress };
        }),
      );
      for (const { name, agent, run, got, listed, progress } of outcomes) {
        expect(got.name).toBe(name);
        expect(run).toMatchObject({ agentId: agent.id, input: name });
        expect(listed.items.map((a) => a.name)).toEqual([name]);
        expect(progress).toEqual([]);
      }
      // Ending half the sessions leaves the other half serving.
      await Promise.all(sessions.slice(0, 10).map((s) => s.close()));
      const survivors = await Promise.all(
        sessions
          .slice(10)
          .map(async ({ client }) =>
            structuredOf<Page<Agent>>(await callTool(client, "list_agents", { q: prefix })),
          ),
      );
      for (const page of survivors) expect(page.items).toHaveLength(20);
      await Promise.all(sessions.slice(10).map((s) => s.close()));
      for (const { run } of outcomes) await rest.runs.cancel(run.id);
    }, 60_000);
  });

  it("serves agents, runs and run logs as resources", async () => {
    const agent = await makeAgent(rest);
    const run = await rest.agents.execute(agent.id, "resource me");
    const { resources } = await mcp.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toContain(`agentos://agents/${agent.id}`);
    expect(uris).toContain(`agentos://runs/${run.id}`);
    const { resourceTemplates } = await mcp.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([
      "agentos://agents/{agentId}",
      "agentos://runs/{runId}",
      "agentos://runs/{runId}/events",
    ]);
    const read = async (uri: string) => {
      const { contents } = await mcp.client.readResource({ uri });
      expect(contents[0]).toMatchObject({ uri, mimeType: "application/json" });
      return JSON.parse((contents[0] as { text: string }).text);
    };
    expect(await read(`agentos://agents/${agent.id}`)).toEqual(await rest.agents.get(agent.id));
    expect(await read(`agentos://runs/${run.id}`)).toMatchObject({ id: run.id, status: "queued" });
    expect(await read(`agentos://runs/${run.id}/events`)).toEqual({ runId: run.id, events: [] });
    await expect(mcp.client.readResource({ uri: `agentos://agents/${MISSING_AGENT}` })).rejects.toMatchObject(
      {
        code: -32002,
      },
    );
    await rest.runs.cancel(run.id);
  });

  describe("auth in local mode", () => {
    it("refuses an invalid token with 401 and WWW-Authenticate", async () => {
      const response = await postMcp(target.baseUrl, initializeMessage(), {
        authorization: "Bearer agt_nope",
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(
        'Bearer realm="AgentOS Studio", error="invalid_token"',
      );
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(await response.json()).toMatchObject({
        status: 401,
        detail: expect.stringContaining("invalid"),
      });
      await expect(connectMcp(target.baseUrl, "agt_nope")).rejects.toThrow(/401/);
    });

    it("without a token, refuses what does not come from this machine to this machine", async () => {
      const rebound = await postMcpWithHeaders(target.baseUrl, initializeMessage(), {
        host: "studio.example.com",
      });
      expect(rebound.status).toBe(401);
      expect(rebound.body).toContain("Host header (studio.example.com)");
      const proxied = await postMcpWithHeaders(target.baseUrl, initializeMessage(), {
        "x-forwarded-for": "203.0.113.9",
      });
      expect(proxied.status).toBe(401);
      expect(proxied.body).toContain("203.0.113.9");
      const page = await postMcp(target.baseUrl, initializeMessage(), { origin: "https://evil.example" });
      expect(page.status).toBe(401);
      const local = await postMcp(target.baseUrl, initializeMessage(), { origin: "http://localhost:5173" });
      expect(local.status).toBe(200);
      await fetch(new URL("/mcp", target.baseUrl), {
        method: "DELETE",
        headers: { "mcp-session-id": local.headers.get("mcp-session-id") ?? "" },
      });
    });

    it("a valid token works, and stops working once revoked", async () => {
      const token = await rest.tokens.create({ name: unique("mcp") });
      const session = await connectMcp(target.baseUrl, token.token);
      expect(
        structuredOf<Page<Agent>>(await callTool(session.client, "list_agents", { limit: 1 })).items,
      ).toBeDefined();
      await rest.tokens.revoke(token.id);
      await expect(callTool(session.client, "list_agents", {})).rejects.toThrow(/401/);
      await session.client.close();
    });
  });

  it("agentos-mcp bridges stdio to the Studio", async () => {
    const bin = join(REPO_ROOT, "packages/mcp/bin/agentos-mcp.js");
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin],
      env: { ...(process.env as Record<string, string>), AGENTOS_URL: target.baseUrl },
      stderr: "pipe",
    });
    await client.connect(transport);
    expect((await client.listTools()).tools).toHaveLength(DOCUMENTED_TOOLS.length);
    const agent = await makeAgent(rest);
    const result = await callTool(client, "get_agent", { agentId: agent.id });
    expect(structuredOf<Agent>(result).id).toBe(agent.id);
    await client.close();

    const refused = new Client({ name: "stdio-test", version: "1.0.0" });
    const badToken = new StdioClientTransport({
      command: process.execPath,
      args: [bin],
      env: {
        ...(process.env as Record<string, string>),
        AGENTOS_URL: target.baseUrl,
        AGENTOS_TOKEN: "agt_nope",
      },
      stderr: "pipe",
    });
    await expect(refused.connect(badToken)).rejects.toThrow(/401/);
    await refused.close();
  }, 60_000);

  it("the MCP Inspector CLI (v2) lists and calls tools", async () => {
    const inspector = join(
      require.resolve("@modelcontextprotocol/inspector/package.json"),
      "../clients/launcher/build/index.js",
    );
    const home = mkdtempSync(join(tmpdir(), "agentos-inspector-"));
    const inspect = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [inspector, "--cli", `${target.baseUrl}/mcp`, ...args], {
          env: { ...process.env, HOME: home, MCP_CATALOG_PATH: join(home, "catalog.json") },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => {
          stdout += d;
        });
        child.stderr.on("data", (d) => {
          stderr += d;
        });
        child.once("error", reject);
        child.once("exit", (code) => resolve({ code, stdout, stderr }));
      });
    const listed = await inspect("--method", "tools/list");
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      (JSON.parse(listed.stdout) as { tools: Array<{ name: string }> }).tools.map((t) => t.name).sort(),
    ).toEqual(DOCUMENTED_TOOLS);
    const agent = await makeAgent(rest);
    const called = await inspect(
      "--method",
      "tools/call",
      "--tool-name",
      "get_agent",
      "--tool-arg",
      `agentId=${agent.id}`,
    );
    expect(called.code, called.stderr).toBe(0);
    expect(JSON.parse(called.stdout)).toMatchObject({
      structuredContent: { id: agent.id, name: agent.name },
    });
  }, 60_000);
});
