import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contractDocument, renderServerApi, renderSharedTypes } from "./contracts";

const read = (name: string) => readFileSync(new URL(`../../../contracts/${name}`, import.meta.url), "utf8");
const stale = "contracts/ is stale: run `pnpm contracts` and commit the result";

describe("contracts/", () => {
  it("openapi.json is the document the API serves", () => {
    expect(JSON.parse(read("openapi.json")), stale).toEqual(JSON.parse(JSON.stringify(contractDocument())));
  });

  it("server-api.md describes exactly the served endpoints", () => {
    expect(read("server-api.md"), stale).toBe(renderServerApi(contractDocument()));
  });

  it("shared-types.md lists every shared type", () => {
    const text = read("shared-types.md");
    expect(text, stale).toBe(renderSharedTypes());
    for (const type of [
      "Agent",
      "Run",
      "RunEvent",
      "Sandbox",
      "SiteBinding",
      "Worker",
      "ApiToken",
      "RateLimit",
    ]) {
      expect(text).toContain(`## ${type}\n`);
    }
  });
});
