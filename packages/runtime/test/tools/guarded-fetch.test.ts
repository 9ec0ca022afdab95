// The guarded fetch SDKs get (createGuardedFetch) keeps connections alive in one pool per policy and
// vets each new socket in its lookup, against real loopback servers: reuse, connect-time refusal,
// DNS rebinding, IP literals and redirects.
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllowList } from "../../src/tools/allow-list";
import { createGuardedFetch } from "../../src/tools/guarded-fetch";
import { outboundFetch, outboundPolicyFor } from "../../src/tools/outbound-policy";
import type { HostLookup, NetworkPolicy, ResolvedAddress } from "../../src/tools/ssrf";
import { ToolFailure } from "../../src/tools/tool-failure";

/** A loopback server that counts the TCP connections it accepts and keeps the requests' headers. */
async function startCountingServer(
  options: { host?: string; port?: number; headers?: OutgoingHttpHeaders; location?: string } = {},
) {
  const host = options.host ?? "127.0.0.1";
  const requests: IncomingHttpHeaders[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    requests.push(req.headers);
    req.resume();
    if (options.location) {
      res.writeHead(302, { location: options.location, ...options.headers });
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
      headers: { authorization: "Bearer secret", "x-trace": "t-1" },
    });
    expect(await response.text()).toBe("hello from 127.0.0.1");
    expect(first.requests[0]?.authorization).toBe("Bearer secret");
    expect(other.requests[0]?.authorization).toBeUndefined();
    expect(other.requests[0]?.["x-trace"]).toBe("t-1");

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
