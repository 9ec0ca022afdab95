import { describe, expect, it } from "vitest";
import { parseAllowList } from "./allow-list";
import { outboundPolicyFor, serviceUrlRefusal, toolNetworkPolicy } from "./outbound-policy";
import { type HostLookup, vetUrl } from "./ssrf";
import { ToolFailure } from "./tool-failure";

const tool = { allowPrivateNetwork: true, howToAllow: "set allowPrivateNetwork: true in the tool's config" };
const resolvesTo =
  (...addresses: string[]): HostLookup =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? (6 as const) : (4 as const) }));

async function refusalOf(url: string, policy: Parameters<typeof vetUrl>[1]): Promise<ToolFailure> {
  const error = await vetUrl(url, policy).then(
    () => null,
    (e: unknown) => e,
  );
  if (!ToolFailure.isInstance(error)) throw new Error(`${url} was not refused: ${String(error)}`);
  return error;
}

describe("the hosted outbound policy", () => {
  const hosted = toolNetworkPolicy(outboundPolicyFor("hosted"), tool);

  it.each([
    ["http://127.0.0.1:8080/", "127.0.0.1", "loopback", "127.0.0.1:8080"],
    ["http://10.0.0.5/", "10.0.0.5", "private-network address", "10.0.0.5:80"],
    ["http://172.16.3.4/", "172.16.3.4", "private-network address", "172.16.3.4:80"],
    ["http://192.168.0.1/", "192.168.0.1", "private-network address", "192.168.0.1:80"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254", "cloud metadata", "169.254.169.254:80"],
    ["http://100.64.0.1/", "100.64.0.1", "carrier-grade NAT", "100.64.0.1:80"],
    ["http://224.0.0.251/", "224.0.0.251", "multicast", "224.0.0.251:80"],
    ["http://0.0.0.0:3000/", "0.0.0.0", "unspecified", "0.0.0.0:3000"],
    ["https://[::1]/", "::1", "loopback", "[::1]:443"],
    ["http://[::]/", "::", "unspecified", "[::]:80"],
    ["http://[fe80::1]/", "fe80::1", "link-local", "[fe80::1]:80"],
    ["http://[fd00::1]/", "fd00::1", "unique-local", "[fd00::1]:80"],
    ["http://[ff02::1]/", "ff02::1", "multicast", "[ff02::1]:80"],
    ["http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe", "link-local", "[::ffff:a9fe:a9fe]:80"],
    ["http://[::ffff:127.0.0.1]:11434/", "::ffff:7f00:1", "loopback", "[::ffff:7f00:1]:11434"],
  ])(
    "refuses %s although the tool allows private networks, and says how an operator allows it",
    async (url, address, label, entry) => {
      const error = await refusalOf(url, hosted);
      expect(error.reason).toBe("blocked");
      expect(error.message).toContain(`Refused to connect to ${address}`);
      expect(error.message).toContain(label);
      expect(error.message).toContain(`adds "${entry}"`);
      expect(error.message).toContain("AGENTOS_OUTBOUND_ALLOW");
      expect(error.message).not.toContain("allowPrivateNetwork");
    },
  );

  it("refuses a host name that resolves to a private address, naming the name", async () => {
    const error = await refusalOf("http://metadata.google.internal/computeMetadata/v1/", {
      ...hosted,
      lookup: resolvesTo("169.254.169.254"),
    });
    expect(error.message).toContain("169.254.169.254 (metadata.google.internal resolves to it)");
    expect(error.message).toContain('adds "metadata.google.internal:80"');
  });

  it("lets public addresses through", async () => {
    expect((await vetUrl("https://93.184.215.14/", hosted)).addresses).toHaveLength(1);
    const vetted = await vetUrl("https://api.example.com/v1", {
      ...hosted,
      lookup: resolvesTo("2606:4700::1111"),
    });
    expect(vetted.addresses).toEqual([{ address: "2606:4700::1111", family: 6 }]);
  });

  it("lets through what the operator allow-listed: by address with its port, by host name, by network", async () => {
    const allowList = parseAllowList("127.0.0.1:11434,ollama.internal,10.8.0.0/16,[fd00::5]");
    const policy = toolNetworkPolicy(outboundPolicyFor("hosted", allowList), tool);
    await expect(vetUrl("http://127.0.0.1:11434/api", policy)).resolves.toBeTruthy();
    await expect(
      vetUrl("http://ollama.internal:11434/", { ...policy, lookup: resolvesTo("10.0.0.5") }),
    ).resolves.toBeTruthy();
    await expect(
      vetUrl("http://mcp.corp/", { ...policy, lookup: resolvesTo("10.8.3.3") }),
    ).resolves.toBeTruthy();
    await expect(vetUrl("http://[::ffff:10.8.0.1]/", policy)).resolves.toBeTruthy();
    await expect(vetUrl("http://[fd00::5]:9000/", policy)).resolves.toBeTruthy();
    // The same loopback address on another port (the worker's internal API, say) stays refused.
    expect((await refusalOf("http://127.0.0.1:3100/internal", policy)).message).toContain(
      'adds "127.0.0.1:3100"',
    );
    // Every address of a name must be allowed; one outside the list refuses the whole host.
    const mixed = await refusalOf("http://mcp.corp/", {
      ...policy,
      lookup: resolvesTo("10.8.3.3", "10.9.0.1"),
    });
    expect(mixed.message).toContain("Refused to connect to 10.9.0.1");
  });

  it("keeps refusing non-http schemes, whatever the allow-list says", async () => {
    const policy = toolNetworkPolicy(outboundPolicyFor("hosted", parseAllowList("10.0.0.0/8")), tool);
    expect((await refusalOf("file:///etc/passwd", policy)).message).toContain("scheme rule");
  });
});

describe("the local outbound policy", () => {
  it("leaves the decision to the tool, as before", async () => {
    const local = outboundPolicyFor("local");
    await expect(vetUrl("http://127.0.0.1:1/", toolNetworkPolicy(local, tool))).resolves.toBeTruthy();
    const strict = toolNetworkPolicy(local, { ...tool, allowPrivateNetwork: false });
    expect((await refusalOf("http://127.0.0.1:1/", strict)).message).toContain(
      "To allow it, set allowPrivateNetwork: true in the tool's config.",
    );
  });

  it("never refuses a service URL (MCP server, provider base URL)", async () => {
    expect(await serviceUrlRefusal(outboundPolicyFor("local"), "http://127.0.0.1:11434")).toBeNull();
  });
});

describe("serviceUrlRefusal", () => {
  it("says why a hosted Studio will not connect to a service URL", async () => {
    const refusal = await serviceUrlRefusal(outboundPolicyFor("hosted"), "http://[::1]:8931/mcp");
    expect(refusal).toContain(
      "Refused to connect to ::1 for http://[::1]:8931/mcp: it is a loopback address",
    );
    expect(refusal).toContain('adds "[::1]:8931"');
  });

  it("accepts an allow-listed URL, and leaves a name that does not resolve to the request itself", async () => {
    const allowed = outboundPolicyFor("hosted", parseAllowList("[::1]:8931"));
    expect(await serviceUrlRefusal(allowed, "http://[::1]:8931/mcp")).toBeNull();
    const unresolvable = {
      ...outboundPolicyFor("hosted"),
      lookup: async () => {
        throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
      },
    };
    expect(await serviceUrlRefusal(unresolvable, "https://mcp.nowhere.invalid/mcp")).toBeNull();
  });
});
