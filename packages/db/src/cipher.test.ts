import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSecretCipher, loadOrCreateSecretKey } from "./cipher";

const key = Buffer.alloc(32, 7).toString("base64");

describe("secret cipher", () => {
  it("round-trips a value and never stores it in the clear", () => {
    const cipher = createSecretCipher(key);
    const sealed = cipher.seal("sk-live-123");
    expect(sealed).not.toContain("sk-live-123");
    expect(cipher.open(sealed)).toBe("sk-live-123");
  });

  it("uses a fresh nonce for each seal", () => {
    const cipher = createSecretCipher(key);
    expect(cipher.seal("same")).not.toBe(cipher.seal("same"));
  });

  it("rejects a tampered value", () => {
    const cipher = createSecretCipher(key);
    const parts = cipher.seal("secret").split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => cipher.open(parts.join("."))).toThrow();
  });

  it("says which key sealed a value when the master key changed", () => {
    const sealed = createSecretCipher(key).seal("x");
    const other = createSecretCipher(Buffer.alloc(32, 9).toString("hex"));
    expect(() => other.open(sealed)).toThrow(/sealed with key/);
  });

  it("rejects a key of the wrong length with the variable's name", () => {
    expect(() => createSecretCipher("c2hvcnQ=")).toThrow(/AGENTOS_SECRET_KEY/);
  });

  it("creates the local key once, private to its owner", () => {
    const path = join(mkdtempSync(join(tmpdir(), "agentos-key-")), "nested", "secret.key");
    const first = loadOrCreateSecretKey(path);
    expect(loadOrCreateSecretKey(path)).toBe(first);
    expect(readFileSync(path, "utf8").trim()).toBe(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
