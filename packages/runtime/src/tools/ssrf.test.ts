import { describe, expect, it } from "vitest";
import { type NetworkPolicy, rangeOf, vetUrl } from "./ssrf";
import { ToolFailure } from "./tool-failure";

const strict: NetworkPolicy = { allowPrivateNetwork: false, howToAllow: "set allowPrivateNetwork: true" };

async function refusal(url: string, policy: NetworkPolicy = strict): Promise<ToolFailure> {
  try {
    await vetUrl(url, policy);
  } catch (error) {
    if (ToolFailure.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`${url} was not refused`);
}

describe("rangeOf", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["224.0.0.1", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fd00::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:a9fe:a9fe", "linkLocal"],
    ["::7f00:1", "loopback"],
    ["::a9fe:a9fe", "linkLocal"],
    ["::a00:1", "private"],
    ["::2", "unspecified"],
    ["::808:808", "unicast"],
    ["64:ff9b::a00:1", "private"],
    ["2002:7f00:1::", "loopback"],
    ["8.8.8.8", "unicast"],
    ["2606:4700::1111", "unicast"],
  ])("classifies %s as %s, looking through embedded IPv4 forms", (address, range) => {
    expect(rangeOf(address)).toBe(range);
  });
});

describe("vetUrl", () => {
  it.each([
    ["http://127.0.0.1:8080/", "127.0.0.1", "loopback"],
    ["http://10.0.0.5/admin", "10.0.0.5", "private-network address"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"],
    ["http://[::1]:3000/", "::1", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1", "loopback"],
    ["http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe", "link-local"],
    ["http://[::127.0.0.1]:8080/", "::7f00:1", "loopback"],
    ["http://[::169.254.169.254]/", "::a9fe:a9fe", "link-local"],
    ["http://100.64.1.1/", "100.64.1.1", "carrier-grade NAT"],
    ["http://[fd12::1]/", "fd12::1", "unique-local"],
    ["http://0.0.0.0/", "0.0.0.0", "unspecified"],
    ["http://2130706433/", "127.0.0.1", "loopback"],
  ])("refuses %s by default, naming the rule and how to allow it", async (url, address, label) => {
    const error = await refusal(url);
    expect(error.message).toContain(`Refused to connect to ${address}`);
    expect(error.message).toContain(label);
    expect(error.message).toContain("private-network rule");
    expect(error.message).toContain("set allowPrivateNetwork: true");
    expect(error.details).toMatchObject({ refusedAddress: address, rule: "private-network" });
  });

  it("refuses localhost, which resolves to a loopback address through the system resolver", async () => {
    const error = await refusal("http://localhost:9/");
    expect(error.message).toMatch(/Refused to connect to (127\.0\.0\.1|::1) \(localhost resolves to it\)/);
  });

  it("refuses a host when any one of its addresses is private", async () => {
    const lookup = async () => [
      { address: "93.184.215.14", family: 4 as const },
      { address: "10.0.0.7", family: 4 as const },
    ];
    const error = await refusal("https://mixed.example/", { ...strict, lookup });
    expect(error.message).toContain("10.0.0.7 (mixed.example resolves to it)");
  });

  it("accepts public addresses and returns every address to pin the connection to", async () => {
    const lookup = async () => [
      { address: "93.184.215.14", family: 4 as const },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 as const },
    ];
    const vetted = await vetUrl("https://example.com/page", { ...strict, lookup });
    expect(vetted.addresses).toHaveLength(2);
    expect((await vetUrl("http://8.8.8.8/", strict)).addresses).toEqual([{ address: "8.8.8.8", family: 4 }]);
  });

  it("accepts private addresses when the policy allows the private network", async () => {
    const vetted = await vetUrl("http://127.0.0.1:1/", { ...strict, allowPrivateNetwork: true });
    expect(vetted.addresses).toEqual([{ address: "127.0.0.1", family: 4 }]);
  });

  it.each(["file:///etc/passwd", "ftp://example.com/", "gopher://127.0.0.1/", "data:text/plain,hi"])(
    "refuses the non-http(s) URL %s even when private networks are allowed",
    async (url) => {
      const error = await refusal(url, { ...strict, allowPrivateNetwork: true });
      expect(error.message).toContain("only http and https URLs may be requested (scheme rule)");
    },
  );

  it("says which host could not be resolved", async () => {
    const lookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.invalid"), { code: "ENOTFOUND" });
    };
    const error = await refusal("http://nowhere.invalid/", { ...strict, lookup });
    expect(error.message).toBe("Could not resolve host nowhere.invalid for http://nowhere.invalid/.");
  });
});
