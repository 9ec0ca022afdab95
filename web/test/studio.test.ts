// The Studio UI end to end in a real browser: `next start` of the built web/, a worker on the same
// libSQL file, Debian's Chromium driven by playwright-core, and a loopback OpenAI-compatible
// server that stands in for a hosted model (its replies are scripted per test). A small loopback
// HTTP server is the API the HTTP tool calls.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AgentOsClient, createClient } from "@agentos/client";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EVERYTHING_BIN } from "../../packages/runtime/test/fixtures/everything-server";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../../packages/runtime/test/support/openai-compatible-server";
import {
  type ApiTarget,
  freshDataDir,
  startHeadlessServer,
  startWeb,
  startWorker,
  until,
} from "../../test/harness/processes";
import { launchBrowser, screenshot } from "./browser";

const API_KEY = "sk-standin-web-test";
const MODEL = "standin-1";
const TOOL = "lookup_weather";

/** A locator's box once two reads 100 ms apart agree (animations and layout settled). */
async function stableBox(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await locator.boundingBox();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const box = await locator.boundingBox();
    if (box && last && box.x === last.x && box.y === last.y) return box;
    last = box;
  }
  throw new Error("The element kept moving.");
}

/** The weather API the HTTP tool calls: answers every request with the city it was asked for. */
async function startWeatherApi(): Promise<{ url: string; calls: () => number; close: () => void }> {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    calls++;
    const city = new URL(req.url ?? "/", "http://x").searchParams.get("city");
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ city, forecast: "sunny", celsius: 21 }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () => server.close(),
  };
}

describe("Studio UI in Chromium", () => {
  const dataDir = freshDataDir();
  let web: ApiTarget;
  let worker: ApiTarget;
  let model: OpenAiCompatibleServer;
  let weather: Awaited<ReturnType<typeof startWeatherApi>>;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  let client: AgentOsClient;
  let agentUrl = "";
  let runUrl = "";

  beforeAll(async () => {
    [model, weather, browser] = await Promise.all([
      startOpenAiCompatibleServer({ apiKey: API_KEY, models: [MODEL] }),
      startWeatherApi(),
      launchBrowser(),
    ]);
    web = await startWeb({ AGENTOS_DATA_DIR: dataDir });
    worker = await startWorker(dataDir, { WORKER_POLL_MS: "100" });
    client = createClient({ baseUrl: web.baseUrl });
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    // Deletions and revocations ask for confirmation.
    page.on("dialog", (dialog) => void dialog.accept());
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([web?.stop(), worker?.stop()]);
    await model?.close();
    weather?.close();
  });

  afterEach(async (context) => {
    // A failed step leaves a picture of the page it failed on.
    if (context.task.result?.state === "fail" && page) {
      await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(() => {});
    }
  });

  const go = (path: string) => page.goto(`${web.baseUrl}${path}`);

  it("adds a model provider and tests its connection, showing the outcome", async () => {
    await go("/models");
    await page.getByText("No providers yet").waitFor();
    await page.getByRole("button", { name: "Add provider" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Stand-in");
    await dialog.getByLabel("Kind").selectOption("openai-compatible");
    await dialog.getByLabel("Base URL").fill(model.baseUrl);
    await dialog.getByLabel("API key").fill(API_KEY);
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Add model" }).click();
    await page.getByRole("dialog").getByLabel("Model name").fill(MODEL);
    await page.getByRole("dialog").getByLabel("Input $/M").fill("3");
    await page.getByRole("dialog").getByLabel("Output $/M").fill("15");
    await page.getByRole("dialog").getByRole("button", { name: "Add model" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.getByText(MODEL, { exact: true }).waitFor();

    model.enqueue(reply.text("ok"));
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("provider-test-ok").textContent()).resolves.toContain(
      `Connected to ${MODEL}`,
    );
    // Local models: either Ollama's state, or a plain word that this server has no Ollama support.
    await page
      .getByTestId("ollama-status")
      .getByText(/Ollama|not installed|error|ready/)
      .first()
      .waitFor();
    await screenshot(page, "models");
  }, 90_000);

  it("creates an HTTP tool, tests it for real showing the live response, and edits it", async () => {
    await go("/tools/new");
    await page.getByLabel("Name", { exact: true }).fill(TOOL);
    await page.getByLabel("Description").fill("Today's weather for a city");
    await page.getByLabel("URL template").fill(`${weather.url}/weather?city={city}`);
    await page.getByRole("switch", { name: /Allow private network/ }).click();
    await page.getByRole("button", { name: "Create tool" }).click();
    await page.waitForURL(/\/tools\/tool_/);

    const before = weather.calls();
    const runsBefore = (await client.runs.list({ limit: 200 })).items.length;
    await page.getByLabel("Arguments (JSON)").fill('{"city": "Oslo"}');
    await page.getByRole("button", { name: "Test the saved tool" }).click();
    const result = page.locator('[data-testid="tool-test-result"][data-ok="true"]');
    await result.waitFor();
    expect(await result.getByTestId("tool-test-status").textContent()).toBe("HTTP 200");
    expect(await result.textContent()).toContain(`GET ${weather.url}/weather?city=Oslo`);
    expect(await result.textContent()).toContain('"city": "Oslo"');
    expect(await result.getByTestId("tool-test-duration").textContent()).toMatch(/\d+(\.\d+)? (ms|s)/);
    expect(weather.calls() - before).toBe(1);
    // The test records no run.
    expect((await client.runs.list({ limit: 200 })).items.length).toBe(runsBefore);

    // Arguments that miss the schema: the reason and the field, and no request sent.
    await page.getByLabel("Arguments (JSON)").fill('{"town": "Oslo"}');
    await page.getByRole("button", { name: "Test the saved tool" }).click();
    const failed = page.locator('[data-testid="tool-test-result"][data-ok="false"]');
    await failed.waitFor();
    expect(await failed.getByTestId("tool-test-reason").textContent()).toBe(
      "Arguments do not match the input schema",
    );
    expect(await failed.textContent()).toContain("city: is required");
    expect(weather.calls() - before).toBe(1);
    await screenshot(page, "tool-test");

    await page.getByLabel("Description").fill("Today's weather for a city, in °C");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();
    const [tool] = (await client.tools.list({ q: TOOL })).items;
    expect(tool?.description).toBe("Today's weather for a city, in °C");
    await screenshot(page, "tool-editor");
    await go("/tools");
    await page.getByRole("link", { name: TOOL }).waitFor();
    await screenshot(page, "tools");
  }, 90_000);

  it("registers an MCP server, lists its tools with their schemas, and refreshes them", async () => {
    await go("/tools");
    await page.getByRole("button", { name: "Register MCP server" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("everything");
    await dialog.getByLabel("Transport").selectOption("stdio");
    await dialog.getByLabel("Command").fill(process.execPath);
    await dialog.getByLabel("Arguments").fill(`${EVERYTHING_BIN}\nstdio`);
    await dialog.getByRole("button", { name: "Register" }).click();
    await dialog.waitFor({ state: "detached" });

    // Registration listed the tools: name, description, and the input schema on opening one.
    const tools = page.getByRole("list", { name: "Tools of everything" });
    const echo = tools.getByTestId("mcp-tool").filter({ hasText: "Echoes back the input string" });
    await echo.waitFor();
    await echo.locator("summary").click();
    expect(await echo.textContent()).toContain('"message"');
    const [server] = (await client.mcpServers.list({ q: "everything" })).items;
    expect(server?.tools.map((t) => t.name)).toContain("get-sum");
    const checkedBefore = server!.lastCheckedAt!;

    await page.getByRole("button", { name: "Refresh tools of everything" }).click();
    let checkedAfter = checkedBefore;
    await until(async () => {
      checkedAfter = (await client.mcpServers.get(server!.id)).lastCheckedAt!;
      return checkedAfter !== checkedBefore;
    }, "the refresh to be stored");
    // The card shows the new listing time once the refresh answered.
    await page.locator(`[data-testid="mcp-last-checked"][data-checked-at="${checkedAfter}"]`).waitFor();
    expect(await page.getByRole("button", { name: "Refresh tools of everything" }).textContent()).toContain(
      "Refresh tools",
    );
    await screenshot(page, "mcp-servers");

    // A server that cannot be reached is registered without tools; its refresh shows why.
    await page.getByRole("button", { name: "Register MCP server" }).click();
    await dialog.getByLabel("Transport").selectOption("streamable-http");
    await dialog.getByLabel("Name").fill("offline");
    await dialog.getByLabel("URL").fill("http://127.0.0.1:9/mcp");
    await dialog.getByRole("button", { name: "Register" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Refresh tools of offline" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "did not list its tools" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("127.0.0.1:9");
  }, 90_000);

  it("creates an agent with the model and the tool in the editor", async () => {
    await go("/agents");
    await page.getByText("No agents yet").waitFor();
    await page.getByRole("link", { name: "New agent" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Weather helper");
    await page.getByLabel("Instructions", { exact: true }).fill("Answer weather questions. Use the tool.");
    await page.getByLabel("Model", { exact: true }).fill(MODEL);
    await page.getByRole("checkbox", { name: new RegExp(TOOL) }).click();
    await page.getByRole("button", { name: "Create agent" }).click();
    await page.waitForURL(/\/agents\/agt_/);
    agentUrl = page.url();
    const [agent] = (await client.agents.list()).items;
    expect(agent).toMatchObject({ name: "Weather helper", model: { model: MODEL } });
    expect(agent?.toolIds).toHaveLength(1);
    await screenshot(page, "agent-editor");
    await go("/agents");
    await page.getByRole("link", { name: "Weather helper" }).waitFor();
    await screenshot(page, "agents");
  }, 60_000);

  it("chats: the reply streams in with a tool-call card, and the reply takes feedback", async () => {
    await page.goto(agentUrl);
    await page.getByRole("button", { name: "Chat" }).first().click();
    await page.waitForURL(/\/chat\/conv_/);
    model.enqueue(
      reply.toolCalls([{ name: TOOL, arguments: { city: "Oslo" } }]),
      reply.text("It is sunny in Oslo, 21 °C. Enjoy the day outside!", { chunkDelayMs: 60 }),
    );
    const box = page.getByLabel("Message", { exact: true });
    await box.fill("What is the weather in Oslo?");
    await box.press("Enter");

    // The stop button shows while the reply streams.
    await page.getByRole("button", { name: "Stop" }).waitFor();
    const card = page.getByTestId("tool-call-card").first();
    await card.waitFor();
    expect(await card.textContent()).toContain(TOOL);
    await page.getByTestId("assistant-text").filter({ hasText: "Enjoy the day outside!" }).waitFor();
    expect(await card.textContent()).toContain('"forecast": "sunny"');

    // Once stored, the reply can be rated.
    await page.getByRole("button", { name: "Good reply" }).click();
    await page.getByLabel("Feedback comment").fill("Right on, and quick.");
    await page.getByRole("button", { name: "Send feedback" }).click();
    await page.getByTestId("feedback-saved").waitFor();
    const feedback = (await client.feedback.list()).items;
    expect(feedback).toMatchObject([{ rating: "up", comment: "Right on, and quick." }]);
    expect(feedback[0]?.messageId).toMatch(/^msg_/);
    await screenshot(page, "chat");

    await page.getByRole("link", { name: "run", exact: true }).last().click();
    await page.waitForURL(/\/runs\/run_/);
    runUrl = page.url();
  }, 90_000);

  it("shows the run's timeline with model calls, the tool call, tokens and cost", async () => {
    await page.goto(runUrl);
    const timeline = page.getByTestId("run-timeline");
    await timeline.waitFor();
    await timeline.getByText("Enjoy the day outside!").waitFor();
    expect(await timeline.getByText("Model call").count()).toBe(2);
    expect(await timeline.getByTestId("tool-call-card").count()).toBe(1);
    await page.getByTestId("run-status").locator('[data-status="succeeded"]').waitFor();
    await page.getByRole("tab", { name: /Steps/ }).click();
    await page.getByRole("cell", { name: MODEL }).first().waitFor();
    await screenshot(page, "run");
    await page.getByRole("tab", { name: "Timeline" }).click();
    await go("/runs");
    await page.getByRole("link", { name: /run_…/ }).first().waitFor();
    await screenshot(page, "runs");
  }, 60_000);

  it("follows a running run live over SSE and cancels it", async () => {
    const agent = (await client.agents.list()).items[0]!;
    model.enqueue(
      reply.text(
        Array.from({ length: 400 }, (_, i) => `word${i} `),
        { chunkDelayMs: 50 },
      ),
    );
    const run = await client.agents.execute(agent.id, "Talk for a while");
    await go(`/runs/${run.id}`);
    await page.getByTestId("run-timeline").getByText("word5", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByTestId("run-status").locator('[data-status="cancelled"]').waitFor();
    expect((await client.runs.get(run.id)).status).toBe("cancelled");
  }, 60_000);

  it("filters runs by creation date, the range kept in the URL", async () => {
    const all = (await client.runs.list({ limit: 200 })).items;
    const oldestDay = all.at(-1)!.createdAt.slice(0, 10);
    const newestDay = all[0]!.createdAt.slice(0, 10);
    await go("/runs");
    const runLinks = page.getByRole("link", { name: /run_…/ });
    await runLinks.first().waitFor();

    // A range before any run: the empty state, which offers to clear the filters.
    await page.getByLabel("Created from (UTC)").fill("2001-01-01");
    await page.getByLabel("to (UTC, included)").fill("2001-12-31");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/from=2001-01-01&to=2001-12-31/);
    await page.getByText("No run matches these filters").waitFor();
    expect(await runLinks.count()).toBe(0);

    // A range holding every run so far lists them all again; reloading the URL keeps it.
    await page.getByLabel("Created from (UTC)").fill(oldestDay);
    await page.getByLabel("to (UTC, included)").fill(newestDay);
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(new RegExp(`from=${oldestDay}&to=${newestDay}`));
    await runLinks.first().waitFor();
    await page.reload();
    await runLinks.first().waitFor();
    expect(await runLinks.count()).toBe(all.length);
    expect(await page.getByLabel("Created from (UTC)").inputValue()).toBe(oldestDay);
    await screenshot(page, "runs-by-date");
  }, 60_000);

  it("counts the feedback on the dashboard with its charts", async () => {
    await go("/");
    const ratio = page.getByTestId("feedback-ratio");
    await ratio.waitFor();
    expect(await ratio.textContent()).toContain("1 / 0");
    expect(await ratio.textContent()).toContain("100% positive");
    await page.getByText("Runs per day").waitFor();
    await page.locator(".recharts-surface").first().waitFor();
    await screenshot(page, "dashboard");
    await go("/feedback");
    await page.getByTestId("feedback-row").filter({ hasText: "Right on, and quick." }).waitFor();
    await screenshot(page, "feedback");
  }, 60_000);

  it("builds a two-node workflow on the canvas, executes it and shows node states", async () => {
    await go("/workflows");
    await page.getByRole("button", { name: "New workflow" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("Forecast digest");
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /Create and open/ })
      .click();
    await page.waitForURL(/\/workflows\/wf_/);
    await page.getByTestId("workflow-canvas").waitFor();

    await page.getByRole("button", { name: "agent", exact: true }).click();
    // Validation explains what is missing: the agent to call and an output node.
    await page.getByRole("button", { name: "Validate" }).click();
    await page.getByText("choose an agent").first().waitFor();
    await page.getByText("add an output node").waitFor();
    await page.getByLabel("Agent", { exact: true }).selectOption({ label: "Weather helper" });
    await page.getByRole("button", { name: "output", exact: true }).click();

    const from = page.locator('.react-flow__node[data-id="agent-1"] .react-flow__handle.source');
    const to = page.locator('.react-flow__node[data-id="output-1"] .react-flow__handle.target');
    // The canvas re-fits after each added node: measure the handles once they stopped moving.
    const a = await stableBox(from);
    const b = await stableBox(to);
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
    await page.mouse.up();
    await page.locator(".react-flow__edge").first().waitFor({ state: "attached" });
    await page.getByText("The graph is valid.").waitFor();

    model.enqueue(reply.text("A sunny digest."));
    await page.getByLabel("Run input").fill("Oslo");
    await page.getByRole("button", { name: "Save and execute" }).click();
    const watched = page.getByTestId("watched-run");
    await watched.locator('[data-status="succeeded"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="node-agent-1"][data-state="succeeded"]').waitFor();
    await page.locator('[data-testid="node-output-1"][data-state="succeeded"]').waitFor();
    expect(await watched.textContent()).toContain("A sunny digest.");
    const [workflow] = (await client.workflows.list()).items;
    expect(workflow?.graph.nodes.map((n) => n.kind)).toEqual(["agent", "output"]);
    expect(workflow?.graph.edges).toMatchObject([{ source: "agent-1", target: "output-1" }]);
    await screenshot(page, "workflow");
  }, 90_000);

  it("approves a run that waits at an approval node, from the run page", async () => {
    const workflow = await client.workflows.create({
      name: "Ship with review",
      graph: {
        nodes: [
          { id: "review", kind: "approval", label: "Review", message: "Ship the release notes?" },
          { id: "done", kind: "output", label: "Done", template: "shipped: {{input}}" },
        ],
        edges: [{ id: "e1", source: "review", target: "done", branch: null }],
      },
    });
    const run = await client.workflows.execute(workflow.id, "v1.2");
    await go(`/runs/${run.id}`);
    await page.getByText("Waiting for approval").waitFor();
    await page.getByText("Ship the release notes?").first().waitFor();
    await page.getByLabel("Comment on the decision").fill("Looks good");
    await page.getByRole("button", { name: "Approve" }).click();
    await page.getByTestId("run-status").locator('[data-status="succeeded"]').waitFor();
    await page.getByTestId("run-timeline").getByText("Approved: Looks good").waitFor();
    expect(await client.runs.get(run.id)).toMatchObject({ status: "succeeded", output: "shipped: v1.2" });
    await screenshot(page, "run-approved");
  }, 60_000);

  it("creates an API token that is shown once, then revokes it", async () => {
    await go("/settings");
    await page.getByLabel("Token name").fill("ci-token");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("new-token-value").textContent())!.trim();
    expect(
      (await fetch(`${web.baseUrl}/api/settings`, { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(200);
    await page.getByTestId("token-row").filter({ hasText: "ci-token" }).waitFor();
    expect(await page.getByTestId("mcp-snippet").textContent()).toContain(`${web.baseUrl}/mcp`);
    await screenshot(page, "settings");

    await page.getByRole("button", { name: "Revoke ci-token" }).click();
    await page.getByTestId("token-row").filter({ hasText: "ci-token" }).getByText("revoked").waitFor();
    expect(
      (await fetch(`${web.baseUrl}/api/settings`, { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(401);
  }, 60_000);

  it("connects to a remote AgentOS server with a token, and back to this Studio", async () => {
    const remote = await startHeadlessServer({ CORS_ORIGINS: web.baseUrl });
    try {
      const remoteClient = createClient({ baseUrl: remote.baseUrl });
      const { token } = await remoteClient.tokens.create({ name: "studio-ui" });
      const provider = await remoteClient.llmProviders.create({
        name: "remote",
        kind: "openai-compatible",
        baseUrl: model.baseUrl,
      });
      await remoteClient.agents.create({
        name: "Remote researcher",
        model: { providerId: provider.id, model: MODEL },
      });

      await go("/settings");
      await page.getByLabel("A remote AgentOS server").check();
      await page.getByLabel("Server URL").fill(remote.baseUrl);
      await page.getByLabel("API token", { exact: true }).fill("agt_not-a-real-token");
      await page.getByRole("button", { name: "Check and use" }).click();
      // A bad token is refused by the remote server, in its own words.
      await page
        .getByRole("alert")
        .getByText(/token is invalid/)
        .waitFor();
      await page.getByLabel("API token", { exact: true }).fill(token);
      await page.getByRole("button", { name: "Check and use" }).click();
      await page.getByText("Connected: local mode").waitFor();

      // Server-rendered pages and browser calls now both go to the remote server.
      await go("/agents");
      await page.getByRole("link", { name: "Remote researcher" }).waitFor();
      expect(await page.getByRole("link", { name: "Weather helper" }).count()).toBe(0);
      await page.getByText(`Remote: ${new URL(remote.baseUrl).host}`).waitFor();
      await screenshot(page, "remote-connection");

      await go("/settings");
      await page.getByLabel("This Studio").check();
      await page.getByRole("button", { name: "Check and use" }).click();
      await page.getByText("Connected: local mode").waitFor();
      await go("/agents");
      await page.getByRole("link", { name: "Weather helper" }).waitFor();
    } finally {
      await remote.stop();
    }
  }, 90_000);

  it("renders the remaining pages, each with something to do next", async () => {
    for (const [path, text, name] of [
      ["/files", "No files yet", "files"],
      ["/workflows", "Forecast digest", "workflows"],
      ["/sandboxes", "Sandboxes & sites", "sandboxes"],
      ["/chat", "Pick a conversation", "chat-list"],
    ] as const) {
      await go(path);
      await page.getByText(text).first().waitFor();
      await screenshot(page, name);
    }
    await go("/");
    await page.evaluate(() => {
      localStorage.setItem("agentos.theme", "dark");
      document.documentElement.classList.add("dark");
    });
    await page.locator(".recharts-surface").first().waitFor();
    await screenshot(page, "dashboard-dark");
  }, 60_000);
});
