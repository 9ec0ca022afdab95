import { describe, expect, it } from "vitest";
import { loadBridgeConfig } from "./config";

describe("agentos-mcp configuration", () => {
  it("adds /mcp to a bare Studio URL and keeps an explicit path", () => {
    expect(loadBridgeConfig({ AGENTOS_URL: "http://localhost:3000" }).url.href).toBe(
      "http://localhost:3000/mcp",
    );
    expect(loadBridgeConfig({ AGENTOS_URL: "https://studio.example.com/mcp" }).url.href).toBe(
      "https://studio.example.com/mcp",
    );
    expect(loadBridgeConfig({}).url.href).toBe("http://127.0.0.1:3000/mcp");
  });

  it("takes the token, and names the variable that is wrong", () => {
    expect(loadBridgeConfig({ AGENTOS_TOKEN: "agt_abc" }).token).toBe("agt_abc");
    expect(() => loadBridgeConfig({ AGENTOS_URL: "ftp://studio" })).toThrow(
      /AGENTOS_URL: must be an http\(s\) URL/,
    );
    expect(() => loadBridgeConfig({ AGENTOS_TOKEN: "two words" })).toThrow(/AGENTOS_TOKEN/);
  });
});
