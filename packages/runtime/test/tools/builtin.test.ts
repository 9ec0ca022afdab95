import { BUILTIN_TOOLS, newId } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToolResolver, type RuntimeToolResolver } from "../../src/tools/resolver";
import type { RuntimeTool, ToolContext } from "../../src/tools/types";
import { openTestDatabase, type TestDatabase } from "../fixtures/db";
import { asRecord, makeContext, storeTool } from "../fixtures/factories";
import { startHttpServer, type TestHttpServer } from "../fixtures/http-server";

const PAGE = `<!doctype html><html><head><title>Quarterly &amp; Annual Report</title>
<style>body { font-family: serif }</style><script>window.secret = "do not show"</script></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<main><h1>Results</h1><p>Revenue grew by <strong>12%</strong>.</p>
<p>See <a href="/details?y=2026">the details</a>.</p></main></body></html>`;

let db: TestDatabase;
let site: TestHttpServer;
/** The production default: fetch_page refuses private addresses. */
let strict: RuntimeToolResolver;
/** As local mode and tests configure it: fetch_page may reach loopback. */
let local: RuntimeToolResolver;
const builtins = {} as Record<(typeof BUILTIN_TOOLS)[number], string>;

beforeAll(async () => {
  db = await openTestDatabase();
  strict = createToolResolver({ repos: db.repos });
  local = createToolResolver({ repos: db.repos, fetchPage: { allowPrivateNetwork: true } });
  for (const builtin of BUILTIN_TOOLS) {
    const tool = await storeTool(db.repos, db.workspaceId, {
      name: builtin,
      config: { kind: "builtin", builtin },
    });
    builtins[builtin] = tool.id;
  }
  site = await startHttpServer((req, res) => {
    if (req.url === "/report") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(PAGE);
    } else if (req.url === "/long") {
      res.setHeader("content-type", "text/html");
      res.end(`<p>${"word ".repeat(10_000)}</p>`);
    } else if (req.url === "/image") {
      res.setHeader("content-type", "image/png");
      res.end(Buffer.alloc(10));
    } else {
      res.statusCode = 404;
      res.setHeader("content-type", "text/html");
      res.end("<h1>Not here</h1>");
    }
  });
});

afterAll(async () => {
  await site?.close();
  db?.close();
});

const tool = (resolver: RuntimeToolResolver, name: keyof typeof builtins): Promise<RuntimeTool> =>
  resolver.toolById(db.workspaceId, builtins[name]);

async function run(
  name: keyof typeof builtins,
  input: Record<string, unknown>,
  context: ToolContext = makeContext(),
) {
  return asRecord(await (await tool(local, name)).execute(input as never, context));
}

describe("builtin tools", () => {
  it("describe themselves with the builtin's own input schema", async () => {
    const fetchPage = await tool(local, "fetch_page");
    expect(fetchPage.name).toBe("fetch_page");
    expect(fetchPage.description).toBe("Fetches a web page by URL and returns its readable text.");
    expect(fetchPage.inputSchema).toMatchObject({ required: ["url"] });
  });

  it("current_time answers ISO time, in a time zone when asked", async () => {
    const result = await run("current_time", { timezone: "Europe/Paris" });
    expect(result.iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(result.local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
    expect(result.timeZone).toBe("Europe/Paris");
    expect(Math.abs(Number(result.unixMs) - Date.now())).toBeLessThan(5_000);
  });
});

describe("fetch_page", () => {
  it("refuses loopback by default, saying how a deployment allows it", async () => {
    const before = site.requests.length;
    const result = asRecord(
      await (await tool(strict, "fetch_page")).execute({ url: `${site.origin}/report` }, makeContext()),
    );
    expect(result.error).toMatch(/^Refused to connect to 127\.0\.0\.1/);
    expect(result.error).toContain("fetch_page allowed to reach private networks");
    expect(site.requests.length).toBe(before);
  });

  it("returns a page's title and readable text, without scripts, styles or navigation", async () => {
    const result = await run("fetch_page", { url: `${site.origin}/report` });
    expect(result).toEqual({
      url: `${site.origin}/report`,
      status: 200,
      title: "Quarterly & Annual Report",
      text: `Results\n\nRevenue grew by 12%.\n\nSee the details [${site.origin}/details?y=2026].`,
      truncated: false,
    });
  });

  it("cuts the text at maxChars and says so", async () => {
    const result = await run("fetch_page", { url: `${site.origin}/long`, maxChars: 500 });
    expect(String(result.text)).toHaveLength(500);
    expect(result.truncated).toBe(true);
  });

  it("reports a missing page with its status", async () => {
    const result = await run("fetch_page", { url: `${site.origin}/gone` });
    expect(result).toMatchObject({ status: 404, error: "The page answered 404 Not Found", text: "Not here" });
  });

  it("refuses binary content", async () => {
    const result = await run("fetch_page", { url: `${site.origin}/image` });
    expect(result.error).toBe(
      `${site.origin}/image is image/png, not a page with text; fetch_page reads text only.`,
    );
  });
});

describe("read_file and write_file", () => {
  it("write a file owned by the run, and read it back by name", async () => {
    const context = makeContext();
    const written = await run("write_file", { name: "notes.md", content: "# Plan\nstep one" }, context);
    expect(written).toMatchObject({
      name: "notes.md",
      size: 15,
      mediaType: "text/markdown; charset=utf-8",
      replaced: false,
    });
    const stored = await db.repos.files.get(db.workspaceId, String(written.fileId));
    expect(stored.owner).toEqual({ kind: "run", id: context.runId });

    const read = await run("read_file", { name: "notes.md" }, context);
    expect(read).toEqual({
      name: "notes.md",
      size: 15,
      mediaType: "text/markdown; charset=utf-8",
      encoding: "utf-8",
      content: "# Plan\nstep one",
    });
  });

  it("replace a file of the same name, leaving one file", async () => {
    const context = makeContext();
    const first = await run("write_file", { name: "out.txt", content: "v1" }, context);
    const second = await run("write_file", { name: "out.txt", content: "version 2" }, context);
    expect(second.replaced).toBe(true);
    expect((await run("read_file", { name: "out.txt" }, context)).content).toBe("version 2");
    const page = await db.repos.files.list(db.workspaceId, {
      limit: 10,
      filters: { ownerKind: "run", ownerId: context.runId },
    });
    expect(page.items.map((f) => f.id)).toEqual([second.fileId]);
    await expect(db.repos.fileContents.get(String(first.fileId))).rejects.toThrow("does not exist");
  });

  it("round-trip binary content as base64", async () => {
    const context = makeContext();
    const bytes = Buffer.from([0, 255, 1, 254, 137, 80, 78, 71]);
    await run(
      "write_file",
      { name: "blob.bin", content: bytes.toString("base64"), encoding: "base64" },
      context,
    );
    const read = await run("read_file", { name: "blob.bin" }, context);
    expect(read).toMatchObject({ encoding: "base64", mediaType: "application/octet-stream", size: 8 });
    expect(Buffer.from(String(read.content), "base64")).toEqual(bytes);
  });

  it("see only the files of their own run", async () => {
    const mine = makeContext();
    await run("write_file", { name: "private.txt", content: "mine" }, mine);
    const result = await run("read_file", { name: "private.txt" }, makeContext({ runId: newId("run") }));
    expect(result.error).toBe('This run has no file named "private.txt"; write it first with write_file.');
  });

  it("refuse a file larger than the workspace's fileMaxBytes", async () => {
    const previous = await db.repos.settings.get(db.workspaceId);
    await db.repos.settings.update(db.workspaceId, { fileMaxBytes: 1024 });
    try {
      const result = await run("write_file", { name: "big.txt", content: "x".repeat(2000) });
      expect(result.error).toBe(
        "The file would be 2000 bytes; this workspace accepts up to 1024. Write a smaller file or split it.",
      );
    } finally {
      await db.repos.settings.update(db.workspaceId, { fileMaxBytes: previous.fileMaxBytes });
    }
  });

  it("name the missing field when the input is incomplete", async () => {
    const result = await run("write_file", { name: "x.txt" });
    expect(result.fields).toEqual([{ path: "content", message: "is required" }]);
  });
});
