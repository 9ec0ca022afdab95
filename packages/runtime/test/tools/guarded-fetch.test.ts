// The guarded fetch SDKs get (createGuardedFetch) keeps connections alive in one pool per policy and
// vets each new socket in its lookup, against real loopback servers: reuse, connect-time refusal,
// DNS rebinding, IP literals and redirects.
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllowList } from "../../src/tools/allow-list";
import { createGuardedFetch, guardedFetch } from "../../src/tools/guarded-fetch";
import { outboundFetch, outboundPolicyFor } from "../../src/tools/outbound-policy";
import type { HostLookup, NetworkPolicy, ResolvedAddress } from "../../src/tools/ssrf";
import { ToolFailure } from "../../src/tools/tool-failure";

/** A loopback server that counts the TCP connections it accepts and keeps the requests' headers. */
async function startCountingServer(
  options: {
    host?: string;
    port?: number;
    headers?: OutgoingHttpHeaders;
    /** Where every request but one for `/landing` is redirected, with `status` (default 302). */
    location?: string;
    status?: number;
  } = {},
) {
  const host = options.host ?? "127.0.0.1";
  const requests: IncomingHttpHeaders[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    requests.push(req.headers);
    req.resume();
    if (options.location && req.url !== "/landing") {
      res.writeHead(options.status ?? 302, { location: options.location, ...options.headers });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain", ...options.headers });
    res.end(`hello from ${host}`);
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const started = {
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(started);
  return started;
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A lookup that answers `answers[i]` to the i-th question (the last one ever after), counting them. */
function scriptedLookup(...answers: string[][]): HostLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    const addresses = answers[Math.min(calls.length, answers.length - 1)] ?? [];
    calls.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(lookup, { calls });
}

/**
 * One turn of the event loop: undici hands a connection back to its pool just after the body's last
 * byte is read, so a request sent in the same turn would open a second one (real callers do other
 * work between model calls).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const strictPolicy = (overrides: Partial<NetworkPolicy> = {}): NetworkPolicy => ({
  allowPrivateNetwork: false,
  howToAllow: "allow it in the test",
  ...overrides,
});

async function failureOf(promise: Promise<unknown>): Promise<ToolFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!ToolFailure.isInstance(error)) throw new Error(`expected a ToolFailure, got ${String(error)}`);
  return error;
}

describe("the guarded fetch of SDKs", () => {
  it("sends sequential requests to an allowed host over one kept-alive connection, resolving it once", async () => {
    const server = await startCountingServer();
    const lookup = scriptedLookup(["127.0.0.1"]);
    const guarded = createGuardedFetch(
      strictPolicy({ allowList: parseAllowList(`api.test:${server.port}`), lookup }),
    );
    for (let i = 0; i < 3; i++) {
      const response = await guarded(`http://api.test:${server.port}/v1/chat`, {
        method: "POST",
        body: "{}",
      });
      expect(await response.text()).toBe("hello from 127.0.0.1");
      await nextTurn();
    }
    expect(server.requests).toHaveLength(3);
    expect(server.connections()).toBe(1);
    expect(lookup.calls).toEqual(["api.test"]);
  });

  it("refuses, when the socket is made, a host name that resolves to a loopback address", async () => {
    const server = await startCountingServer();
    const lookup = scriptedLookup(["127.0.0.1"]);
    const guarded = outboundFetch({ ...outboundPolicyFor("hosted"), lookup })!;
    const url = `http://internal.test:${server.port}/secrets?x=1`;
    const error = await failureOf(guarded(url));
    expect(error.reason).toBe("blocked");
    expect(error.message).toContain(
      `Refused to connect to 127.0.0.1 (internal.test resolves to it) for ${url}: it is a loopback address`,
    );
    expect(error.message).toContain(`adds "internal.test:${server.port}"`);
    expect(error.message).toContain("AGENTOS_OUTBOUND_ALLOW");
    expect(server.connections()).toBe(0);
  });

  it("refuses a host name that resolves to the cloud metadata address", async () => {
    const guarded = outboundFetch({
      ...outboundPolicyFor("hosted"),
      lookup: scriptedLookup(["169.254.169.254"]),
    })!;
    const error = await failureOf(guarded("http://metadata.google.internal/computeMetadata/v1/"));
    expect(error.details).toEqual({ refusedAddress: "169.254.169.254", rule: "private-network" });
    expect(error.message).toContain("it is a link-local address");
    expect(error.message).toContain('adds "metadata.google.internal:80"');
  });

  it("refuses a host when one of its addresses is refused, as the pre-request check does", async () => {
    const server = await startCountingServer();
    const guarded = createGuardedFetch(
      strictPolicy({
        allowList: parseAllowList(`127.0.0.1:${server.port}`),
        lookup: scriptedLookup(["127.0.0.1", "10.0.0.7"]),
      }),
    );
    const error = await failureOf(guarded(`http://mixed.test:${server.port}/`));
    expect(error.message).toContain("Refused to connect to 10.0.0.7 (mixed.test resolves to it)");
    expect(error.message).toContain("To allow it, allow it in the test.");
    expect(server.connections()).toBe(0);
  });

  it("cannot be rebound: a second DNS answer naming a private address gets no socket", async () => {
    // The server closes each connection, so the second request needs a new socket and a new lookup.
    const allowed = await startCountingServer({ headers: { connection: "close" } });
    const target = await startCountingServer({ host: "127.0.0.2", port: allowed.port });
    const lookup = scriptedLookup(["127.0.0.1"], ["127.0.0.2"]);
    const guarded = createGuardedFetch(
      strictPolicy({ allowList: parseAllowList(`127.0.0.1:${allowed.port}`), lookup }),
    );
    const url = `http://rebind.test:${allowed.port}/`;
    expect(await (await guarded(url)).text()).toBe("hello from 127.0.0.1");
    const error = await failureOf(guarded(url));
    expect(error.reason).toBe("blocked");
    expect(error.message).toContain("Refused to connect to 127.0.0.2 (rebind.test resolves to it)");
    expect(lookup.calls).toHaveLength(2);
    expect(target.connections()).toBe(0);
    expect(allowed.connections()).toBe(1);
  });

  it("keeps a pooled socket on the address vetted when it was made, whatever DNS says later", async () => {
    const allowed = await startCountingServer();
    const target = await startCountingServer({ host: "127.0.0.2", port: allowed.port });
    const lookup = scriptedLookup(["127.0.0.1"], ["127.0.0.2"]);
    const guarded = createGuardedFetch(
      strictPolicy({ allowList: parseAllowList(`127.0.0.1:${allowed.port}`), lookup }),
    );
    const url = `http://pinned.test:${allowed.port}/`;
    for (let i = 0; i < 2; i++) {
      expect(await (await guarded(url)).text()).toBe("hello from 127.0.0.1");
      await nextTurn();
    }
    expect(lookup.calls).toHaveLength(1);
    expect(target.connections()).toBe(0);
  });

  it.each([
    ["127.0.0.1", (port: number) => `http://127.0.0.1:${port}/`],
    ["::ffff:7f00:1", (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
  ])("refuses the IP literal %s before any connection, without DNS", async (address, urlOf) => {
    const server = await startCountingServer();
    const lookup = scriptedLookup(["93.184.215.14"]);
    const guarded = createGuardedFetch(strictPolicy({ lookup }));
    const error = await failureOf(guarded(urlOf(server.port), { method: "POST", body: "{}" }));
    const url = new URL(urlOf(server.port)).href;
    expect(error.message).toContain(`Refused to connect to ${address} for ${url}`);
    expect(error.message).not.toContain("resolves to it");
    expect(server.connections()).toBe(0);
    expect(lookup.calls).toEqual([]);
  });

  it("vets each redirect hop at connect time and drops credentials on a new origin", async () => {
    const other = await startCountingServer();
    const first = await startCountingServer({ location: `http://other.test:${other.port}/landing` });
    const lookup = scriptedLookup(["127.0.0.1"]);
    const allowBoth = parseAllowList(`first.test:${first.port},other.test:${other.port}`);
    const guarded = createGuardedFetch(strictPolicy({ allowList: allowBoth, lookup }));
    const response = await guarded(`http://first.test:${first.port}/start`, {
      headers: { authorization: "Bearer secret", "x-trace": "t-1", accept: "text/plain" },
    });
    expect(await response.text()).toBe("hello from 127.0.0.1");
    expect(first.requests[0]?.authorization).toBe("Bearer secret");
    expect(other.requests[0]?.authorization).toBeUndefined();
    expect(other.requests[0]?.["x-trace"]).toBeUndefined();
    expect(other.requests[0]?.accept).toBe("text/plain");

    // The same redirect is refused when only the first host is allowed: the second hop gets no socket.
    const onlyFirst = createGuardedFetch(
      strictPolicy({ allowList: parseAllowList(`first.test:${first.port}`), lookup }),
    );
    const error = await failureOf(onlyFirst(`http://first.test:${first.port}/start`));
    expect(error.message).toContain(
      `Refused to connect to 127.0.0.1 (other.test resolves to it) for http://other.test:${other.port}/landing`,
    );
    expect(other.connections()).toBe(1);
  });

  it("sends shared policies' requests over one pool: N policies built alike open one connection", async () => {
    // As the API does: every tool test, refresh and provider test builds its policy anew.
    const server = await startCountingServer();
    const policyOf = () => outboundPolicyFor("hosted", parseAllowList(`127.0.0.1:${server.port}`));
    const fetches = new Set<typeof fetch>();
    for (let i = 0; i < 4; i++) {
      const guarded = outboundFetch(policyOf())!;
      fetches.add(guarded);
      expect(await (await guarded(`http://127.0.0.1:${server.port}/`)).text()).toBe("hello from 127.0.0.1");
      await nextTurn();
    }
    expect(fetches.size).toBe(1);
    expect(server.requests).toHaveLength(4);
    expect(server.connections()).toBe(1);
    // Anything else in the policy gets a pool of its own: the mode, the allow-list, the resolver.
    const other = outboundFetch(outboundPolicyFor("hosted", parseAllowList(`127.0.0.1:${server.port + 1}`)));
    expect(other).not.toBe(outboundFetch(policyOf()));
    expect(outboundFetch(outboundPolicyFor("hosted"))).not.toBe(outboundFetch(policyOf()));
    expect(outboundFetch({ ...policyOf(), lookup: scriptedLookup(["127.0.0.1"]) })).not.toBe(
      outboundFetch(policyOf()),
    );
    expect(outboundFetch(outboundPolicyFor("local", parseAllowList(`127.0.0.1:${server.port}`)))).toBe(
      undefined,
    );
  });

  it("fails as fetch does when a host does not resolve", async () => {
    const lookup: HostLookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), { code: "ENOTFOUND" });
    };
    const guarded = createGuardedFetch(strictPolicy({ lookup }));
    const error = await guarded("http://nowhere.test/").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as TypeError).cause as Error).message).toContain("ENOTFOUND");
  });
});

describe("headers on a redirect to another origin", () => {
  // Two loopback ports are two origins; private addresses are allowed, so only the header rule is at work.
  const policy = strictPolicy({ allowPrivateNetwork: true });
  const secretHeaders = {
    authorization: "Bearer sk-1",
    cookie: "session=1",
    "x-api-key": "key-1",
    "api-key": "key-2",
    "x-goog-api-key": "key-3",
    "x-weather-token": "a value filled from {{secret:WEATHER}}",
  };
  const safeHeaders = { accept: "application/json", "accept-language": "nb", "user-agent": "agentos-test" };

  /** A server whose `/start` redirects with `status` to `location`, and the request `/landing` got. */
  async function redirecting(status: number, location: (port: number) => string) {
    const target = await startCountingServer();
    const start = await startCountingServer({ status, location: location(target.port) });
    return { start, target };
  }

  it("keeps only accept, languages, content-type and user-agent in the SDKs' guarded fetch", async () => {
    const { start, target } = await redirecting(302, (port) => `http://127.0.0.1:${port}/landing`);
    const response = await createGuardedFetch(policy)(`http://127.0.0.1:${start.port}/start`, {
      headers: { ...secretHeaders, ...safeHeaders },
    });
    expect(await response.text()).toBe("hello from 127.0.0.1");
    expect(start.requests[0]).toMatchObject(secretHeaders);
    const forwarded = target.requests[0] ?? {};
    for (const name of Object.keys(secretHeaders)) expect(forwarded[name]).toBeUndefined();
    expect(forwarded).toMatchObject(safeHeaders);
  });

  it("drops an HTTP tool's secret headers, keeping the safe ones and the body's content-type", async () => {
    const request = (url: string) => ({
      method: "POST",
      url,
      headers: new Headers({ ...secretHeaders, ...safeHeaders, "content-type": "application/json" }),
      body: "{}",
      timeoutMs: 5000,
    });
    // A 307 keeps the method and the body, so their content-type goes along.
    const away = await redirecting(307, (port) => `http://127.0.0.1:${port}/landing`);
    expect((await guardedFetch(request(`http://127.0.0.1:${away.start.port}/start`), policy)).status).toBe(
      200,
    );
    const forwarded = away.target.requests[0] ?? {};
    for (const name of Object.keys(secretHeaders)) expect(forwarded[name]).toBeUndefined();
    expect(forwarded).toMatchObject({ ...safeHeaders, "content-type": "application/json" });

    // Within one origin every header follows.
    const within = await startCountingServer({ status: 307, location: "/landing" });
    await guardedFetch(request(`http://127.0.0.1:${within.port}/start`), policy);
    expect(within.requests[1]).toMatchObject(secretHeaders);
  });
});
