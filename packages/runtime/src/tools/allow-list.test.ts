import { describe, expect, it } from "vitest";
import { isAllowListed, parseAllowList } from "./allow-list";

const to = (hostname: string, address: string, port = 80) => ({ hostname, address, port });

describe("parseAllowList", () => {
  it("reads hosts, wildcards, addresses with ports, IPv6 in brackets and CIDR networks", () => {
    const list = parseAllowList(
      " ollama.internal , *.svc.cluster.local,mcp:8080, 10.0.0.5, 127.0.0.1:11434,[::1]:3000,[fd00::7], 10.8.0.0/16 ,fd00:1::/32,,",
    );
    expect(list.entries).toEqual([
      "ollama.internal",
      "*.svc.cluster.local",
      "mcp:8080",
      "10.0.0.5",
      "127.0.0.1:11434",
      "[::1]:3000",
      "[fd00::7]",
      "10.8.0.0/16",
      "fd00:1::/32",
    ]);
    expect(list.matchers).toHaveLength(9);
  });

  it("is empty for an empty setting", () => {
    expect(parseAllowList("").entries).toEqual([]);
    expect(parseAllowList(" , ").matchers).toEqual([]);
  });

  it.each([
    ["http://10.0.0.5:11434", "write a host, address or network without a scheme"],
    ["10.0.0.0/33", "not a network in CIDR notation"],
    ["127.0.0.1:0", "the port must be 1–65535"],
    ["ollama:http", "the port must be 1–65535"],
    ["[not-v6]:80", "not an IPv6 address"],
    ["bad host!", "not a host name"],
    ["-leading.example", "not a host name"],
  ])("refuses %s, naming the entry and what is wrong", (entry, problem) => {
    expect(() => parseAllowList(`ok.example,${entry}`)).toThrow(`"${entry}": ${problem}`);
  });
});

describe("isAllowListed", () => {
  it("matches a host name case-insensitively, with or without its trailing dot, on any port", () => {
    const list = parseAllowList("Ollama.Internal");
    expect(isAllowListed(list, to("ollama.internal", "10.0.0.5", 11434))).toBe(true);
    expect(isAllowListed(list, to("OLLAMA.internal.", "10.0.0.5"))).toBe(true);
    expect(isAllowListed(list, to("other.internal", "10.0.0.5"))).toBe(false);
    expect(isAllowListed(list, to("evil-ollama.internal", "10.0.0.5"))).toBe(false);
  });

  it("matches the subdomains of a wildcard, not the domain itself", () => {
    const list = parseAllowList("*.svc.cluster.local");
    expect(isAllowListed(list, to("mcp.tools.svc.cluster.local", "10.1.2.3"))).toBe(true);
    expect(isAllowListed(list, to("svc.cluster.local", "10.1.2.3"))).toBe(false);
    expect(isAllowListed(list, to("svc.cluster.local.evil.example", "10.1.2.3"))).toBe(false);
  });

  it("holds an entry with a port to that port", () => {
    const list = parseAllowList("127.0.0.1:11434,mcp:8080,[::1]:3000");
    expect(isAllowListed(list, to("127.0.0.1", "127.0.0.1", 11434))).toBe(true);
    expect(isAllowListed(list, to("127.0.0.1", "127.0.0.1", 3100))).toBe(false);
    expect(isAllowListed(list, to("mcp", "10.0.0.9", 8080))).toBe(true);
    expect(isAllowListed(list, to("mcp", "10.0.0.9", 80))).toBe(false);
    expect(isAllowListed(list, to("[::1]", "::1", 3000))).toBe(true);
    expect(isAllowListed(list, to("[::1]", "::1", 3001))).toBe(false);
  });

  it("matches addresses by network, IPv4 and IPv6", () => {
    const list = parseAllowList("10.8.0.0/16,fd00:1::/32,192.168.1.20");
    expect(isAllowListed(list, to("a.example", "10.8.200.1"))).toBe(true);
    expect(isAllowListed(list, to("a.example", "10.9.0.1"))).toBe(false);
    expect(isAllowListed(list, to("a.example", "fd00:1:ffff::1"))).toBe(true);
    expect(isAllowListed(list, to("a.example", "fd00:2::1"))).toBe(false);
    expect(isAllowListed(list, to("a.example", "192.168.1.20"))).toBe(true);
    expect(isAllowListed(list, to("a.example", "192.168.1.21"))).toBe(false);
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 address it carries, both ways", () => {
    expect(isAllowListed(parseAllowList("10.8.0.0/16"), to("x", "::ffff:10.8.1.1"))).toBe(true);
    expect(isAllowListed(parseAllowList("127.0.0.1"), to("x", "::ffff:7f00:1"))).toBe(true);
    expect(isAllowListed(parseAllowList("[::ffff:127.0.0.1]"), to("x", "127.0.0.1"))).toBe(true);
    expect(isAllowListed(parseAllowList("::ffff:10.0.0.0/104"), to("x", "10.0.0.1"))).toBe(true);
    expect(isAllowListed(parseAllowList("10.8.0.0/16"), to("x", "::1"))).toBe(false);
  });

  it("does not let a host entry stand for an address, nor an address for a name", () => {
    expect(isAllowListed(parseAllowList("ollama.internal"), to("10.0.0.5", "10.0.0.5"))).toBe(false);
    expect(isAllowListed(parseAllowList("10.0.0.5"), to("ollama.internal", "10.0.0.6"))).toBe(false);
  });
});
