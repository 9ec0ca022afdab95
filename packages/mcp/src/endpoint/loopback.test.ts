import { describe, expect, it } from "vitest";
import { anonymousRefusal, hostnameOf, isLoopbackAddress, isLoopbackHost } from "./loopback";

const from = (remoteAddress: string | undefined, headers: Record<string, string>) =>
  anonymousRefusal({ remoteAddress, headers: new Headers(headers) });

describe("loopback", () => {
  it("recognises loopback addresses in every spelling Node reports", () => {
    for (const address of ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of [
      "10.0.0.1",
      "192.168.1.2",
      "::ffff:10.0.0.1",
      "fe80::1",
      "0.0.0.0",
      "::",
      "127.0.0.1.evil",
    ]) {
      expect(isLoopbackAddress(address), address).toBe(false);
    }
  });

  it("treats localhost and loopback addresses as loopback bind hosts, and 0.0.0.0 as not", () => {
    expect(["localhost", "127.0.0.1", "::1", "app.localhost"].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["0.0.0.0", "::", "studio.example.com", "192.168.1.2"].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("takes the host name out of a Host header", () => {
    expect(["localhost:3000", "127.0.0.1", "[::1]:3000", "::1"].map(hostnameOf)).toEqual([
      "localhost",
      "127.0.0.1",
      "::1",
      "::1",
    ]);
  });

  it("lets a loopback client on a loopback Host act without a token", () => {
    expect(from("127.0.0.1", { host: "localhost:3000" })).toBeNull();
    expect(from(undefined, { host: "127.0.0.1:3000", "x-forwarded-for": "::ffff:127.0.0.1" })).toBeNull();
    expect(from("::1", { host: "[::1]:3000", origin: "http://localhost:5173" })).toBeNull();
  });

  it("refuses another machine, a proxied client, a DNS-rebound Host and a foreign page", () => {
    expect(from("192.0.2.7", { host: "localhost" })).toContain("192.0.2.7");
    expect(from("127.0.0.1", { host: "localhost", "x-forwarded-for": "203.0.113.9, 127.0.0.1" })).toContain(
      "203.0.113.9",
    );
    expect(from("127.0.0.1", { host: "attacker.example:3000" })).toContain("Host header");
    expect(from("127.0.0.1", { host: "localhost", origin: "https://attacker.example" })).toContain("Origin");
    expect(from("127.0.0.1", { host: "localhost", origin: "null" })).toContain("Origin");
    expect(from(undefined, { host: "localhost" })).toContain("unknown");
  });
});
