import { lookup as dnsLookup } from "node:dns/promises";
import type { JsonValue, ToolCreate } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpTool } from "../../src/tools/http";
import { createToolResolver, type RuntimeToolResolver } from "../../src/tools/resolver";
import { type ClassifyAddress, type HostLookup, rangeOf } from "../../src/tools/ssrf";
import { ToolFailure } from "../../src/tools/tool-failure";
import { openTestDatabase, type TestDatabase } from "../fixtures/db";
import { asRecord, makeContext, storeTool } from "../fixtures/factories";
import { startHttpServer, type TestHttpServer } from "../fixtures/http-server";

let db: TestDatabase;
let resolver: RuntimeToolResolver;
let api: TestHttpServer;
let other: TestHttpServer;
let toolCount = 0;

beforeAll(async () => {
  db = await openTestDatabase();
  resolver = createToolResolver({ repos: db.repos });
  api = await startHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    switch (url.pathname.split("/")[1]) {
      case "echo":
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: req.body }));
        return;
      case "text":
        res.setHeader("content-type", "text/plain; charset=utf-8");
        res.end("plain words");
        return;
      case "missing":
        res.statusCode = 404;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ message: "no such item" }));
        return;
      case "slow":
        return; // never answers
      case "big":
        res.setHeader("content-type", "text/plain");
        res.end("a".repeat(1024 * 1024 + 500_000));
        return;
      case "hop": {
        // /hop/3 → /hop/2 → /hop/1 → /hop/0 → /echo
        const left = Number(url.pathname.split("/")[2]);
        res.statusCode = 302;
        res.setHeader("location", left > 0 ? `/hop/${left - 1}` : "/echo?arrived=1");
        res.end();
        return;
      }
      case "see-other":
        res.statusCode = 303;
        res.setHeader("location", "/echo");
        res.end();
        return;
      case "to":
        res.statusCode = 307;
        res.setHeader("location", url.searchParams.get("target") ?? "/");
        res.end();
        return;
      default:
        res.statusCode = 500;
        res.end();
    }
  });
  other = await startHttpServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ reached: "other", headers: req.headers }));
  });
});

afterAll(async () => {
  await Promise.all([api?.close(), other?.close(), resolver?.close()]);
  db?.close();
});

type HttpConfig = Extract<ToolCreate["config"], { kind: "http" }>;

/** Stores an http tool and resolves it as an agent would get it. */
async function httpToolNamed(config: Omit<HttpConfig, "kind">, inputSchema?: Record<string, unknown>) {
  const stored = await storeTool(db.repos, db.workspaceId, {
    name: `http_${++toolCount}`,
    config: { kind: "http", ...config },
    ...(inputSchema ? { inputSchema } : {}),
  });
  return resolver.toolById(db.workspaceId, stored.id);
}

async function call(
  config: Omit<HttpConfig, "kind">,
  input: JsonValue = {},
  schema?: Record<string, unknown>,
) {
  const tool = await httpToolNamed(config, schema);
  return asRecord(await tool.execute(input, makeContext()));
}

describe("http tools refuse private addresses by default", () => {
  it.each([
    ["a loopback literal", () => `${api.origin}/echo`, "127.0.0.1"],
    ["localhost, which resolves to loopback", () => `http://localhost:${api.port}/echo`, "127.0.0.1|::1"],
    ["the IPv6 loopback", () => `http://[::1]:${api.port}/echo`, "::1"],
    ["an IPv4-mapped loopback", () => `http://[::ffff:127.0.0.1]:${api.port}/echo`, "::ffff:7f00:1"],
    ["a private 10.x address", () => "http://10.0.0.1/", "10.0.0.1"],
    ["the cloud metadata address", () => "http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
  ])("refuses %s and tells how to allow it, without connecting", async (_what, url, address) => {
    const before = api.requests.length;
    const result = await call({ url: url() });
    expect(result.error).toMatch(new RegExp(`^Refused to connect to (${address})`));
    expect(result.error).toContain("set allowPrivateNetwork: true in the tool's config");
    expect(result.rule).toBe("private-network");
    expect(api.requests.length).toBe(before);
  });

  it("refuses non-http schemes even when private networks are allowed", async () => {
    const result = await call({ url: "file:///etc/passwd", allowPrivateNetwork: true });
    expect(result.error).toContain("only http and https URLs may be requested (scheme rule)");
  });
});

describe("http tools with allowPrivateNetwork", () => {
  const open = { allowPrivateNetwork: true };

  it("fills URL and header templates from the input, URL-encoding URL values", async () => {
    const result = await call(
      { ...open, url: `${api.origin}/echo/{city}?q={q}`, headers: { "x-api-key": "key-{tenant}" } },
      { city: "São Paulo", q: "a&b", tenant: "t1" },
      {
        type: "object",
        properties: { city: { type: "string" }, q: { type: "string" }, tenant: { type: "string" } },
      },
    );
    expect(result).toMatchObject({ status: 200, ok: true, contentType: "application/json" });
    const echoed = asRecord(result.body ?? null);
    expect(echoed.method).toBe("GET");
    expect(echoed.url).toBe("/echo/S%C3%A3o%20Paulo?q=a%26b");
    expect(asRecord(echoed.headers ?? null)["x-api-key"]).toBe("key-t1");
    expect(echoed.body).toBe("");
  });

  it("sends the input as JSON when a non-GET tool has no body template", async () => {
    const result = await call({ ...open, method: "POST", url: `${api.origin}/echo` }, { name: "Ada", n: 2 });
    const echoed = asRecord(result.body ?? null);
    expect(echoed.method).toBe("POST");
    expect(JSON.parse(String(echoed.body))).toEqual({ name: "Ada", n: 2 });
    expect(asRecord(echoed.headers ?? null)["content-type"]).toBe("application/json");
  });

  it("fills a JSON body template with values escaped for JSON", async () => {
    const result = await call(
      { ...open, method: "PUT", url: `${api.origin}/echo`, bodyTemplate: '{"text": "{text}", "n": {n}}' },
      { text: 'say "hi"', n: 5 },
    );
    expect(JSON.parse(String(asRecord(result.body ?? null).body))).toEqual({ text: 'say "hi"', n: 5 });
  });

  it("returns a text body as text", async () => {
    const result = await call({ ...open, url: `${api.origin}/text` });
    expect(result).toMatchObject({ status: 200, ok: true, body: "plain words" });
  });

  it("returns a non-2xx answer with its status and body for the model to read", async () => {
    const result = await call({ ...open, url: `${api.origin}/missing` });
    expect(result).toMatchObject({
      status: 404,
      ok: false,
      error: "The server answered 404 Not Found",
      body: { message: "no such item" },
    });
  });

  it("gives up after timeoutMs and says so", async () => {
    const started = Date.now();
    const result = await call({ ...open, url: `${api.origin}/slow`, timeoutMs: 300 });
    expect(result.error).toBe(
      `GET ${api.origin}/slow timed out after 300 ms; try again or raise the tool's timeoutMs.`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("cuts a body larger than 1 MiB and says it did", async () => {
    const result = await call({ ...open, url: `${api.origin}/big` });
    expect(result.truncated).toBe(true);
    expect(String(result.body)).toHaveLength(1024 * 1024);
    expect(result.note).toContain("cut at 1048576 bytes");
  });

  it("follows redirects hop by hop and reports the final URL", async () => {
    const result = await call({ ...open, url: `${api.origin}/hop/3` });
    expect(result).toMatchObject({ status: 200, url: `${api.origin}/echo?arrived=1` });
  });

  it("stops after 5 redirects", async () => {
    const result = await call({ ...open, url: `${api.origin}/hop/5` });
    expect(result.error).toBe(
      `GET ${api.origin}/hop/5 redirected more than 5 times; call the final URL directly.`,
    );
  });

  it("turns a POST answered with 303 into a GET without a body", async () => {
    const result = await call({ ...open, method: "POST", url: `${api.origin}/see-other` }, { a: 1 });
    expect(asRecord(result.body ?? null)).toMatchObject({ method: "GET", body: "" });
  });

  it("keeps only harmless headers when a redirect leaves the origin: no credentials, no API keys", async () => {
    const target = encodeURIComponent(`${other.origin}/landing`);
    const result = await call({
      ...open,
      url: `${api.origin}/to?target=${target}`,
      headers: { authorization: "Bearer secret", "x-api-key": "k-1", "x-trace": "t-1", accept: "text/plain" },
    });
    expect(asRecord(result.body ?? null).reached).toBe("other");
    const headers = asRecord(asRecord(result.body ?? null).headers ?? null);
    expect(headers.authorization).toBeUndefined();
    expect(headers["x-api-key"]).toBeUndefined();
    expect(headers["x-trace"]).toBeUndefined();
    expect(headers.accept).toBe("text/plain");
  });

  it("refuses a redirect to another scheme", async () => {
    const result = await call({
      ...open,
      url: `${api.origin}/to?target=${encodeURIComponent("file:///etc/passwd")}`,
    });
    expect(result.error).toContain("scheme rule");
  });

  it("reports a refused connection as the tool's error", async () => {
    const closed = await startHttpServer(() => undefined);
    await closed.close();
    const result = await call({ ...open, url: `${closed.origin}/` });
    expect(result.error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/ failed: .*ECONNREFUSED/);
  });

  it("names the invalid field instead of calling the server", async () => {
    const before = api.requests.length;
    const result = await call(
      { ...open, url: `${api.origin}/echo/{city}` },
      { city: 3 },
      {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      },
    );
    expect(result.fields).toEqual([
      { path: "city", message: 'Instance type "number" is invalid. Expected "string".' },
    ]);
    expect(api.requests.length).toBe(before);
  });
});

describe("http tools and DNS: every hop is checked, and the checked address is the one connected to", () => {
  let publicLike: TestHttpServer;
  // A test-only stand-in for the public internet: 127.0.0.2 is classified "unicast"; every other
  // address (127.0.0.1, ::1, …) keeps its real classification.
  const classify: ClassifyAddress = (address) => (address === "127.0.0.2" ? "unicast" : rangeOf(address));
  const lookup: HostLookup = async (hostname) => {
    if (hostname.endsWith(".test")) return [{ address: "127.0.0.2", family: 4 }];
    return (await dnsLookup(hostname, { all: true })).map((a) => ({
      address: a.address,
      family: a.family === 6 ? 6 : 4,
    }));
  };

  beforeAll(async () => {
    publicLike = await startHttpServer((req, res) => {
      const target = new URL(req.url ?? "/", "http://x").searchParams.get("target");
      if (target) {
        res.statusCode = 302;
        res.setHeader("location", target);
        res.end();
        return;
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ reached: "public", host: req.headers.host }));
    }, "127.0.0.2");
  });
  afterAll(() => publicLike?.close());

  async function fetchVia(url: string): Promise<JsonValue> {
    const execute = httpTool(
      {
        kind: "http",
        method: "GET",
        url,
        headers: {},
        bodyTemplate: null,
        timeoutMs: 5_000,
        allowPrivateNetwork: false,
      },
      { type: "object", properties: {} },
      { lookup, classify },
    );
    try {
      return await execute({}, makeContext());
    } catch (error) {
      if (ToolFailure.isInstance(error)) return error.toResult();
      throw error;
    }
  }

  it("connects to the address it vetted, never asking DNS again (no rebinding)", async () => {
    // The system resolver cannot resolve `api.test`; only the vetted answer can have been used.
    const result = asRecord(await fetchVia(`http://api.test:${publicLike.port}/`));
    expect(result).toMatchObject({
      status: 200,
      body: { reached: "public", host: `api.test:${publicLike.port}` },
    });
  });

  it.each([
    ["a loopback literal", () => `${api.origin}/echo`, "127.0.0.1"],
    ["localhost", () => `http://localhost:${api.port}/echo`, "127.0.0.1|::1"],
    ["the cloud metadata address", () => "http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
  ])("refuses a redirect from an allowed host to %s", async (_what, target, address) => {
    const before = api.requests.length;
    const firstHops = publicLike.requests.length;
    const result = asRecord(
      await fetchVia(`http://api.test:${publicLike.port}/?target=${encodeURIComponent(target())}`),
    );
    expect(result.error).toMatch(new RegExp(`^Refused to connect to (${address})`));
    expect(publicLike.requests.length).toBe(firstHops + 1);
    expect(api.requests.length).toBe(before);
  });
});
