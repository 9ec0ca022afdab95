import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STUDIO_TOOLS } from "../server";
import { renderToolsDoc, withToolsDoc } from "./tools-doc";

describe("contracts/mcp.md", () => {
  it("documents the tools exactly as the server offers them", () => {
    const document = readFileSync(new URL("../../../../contracts/mcp.md", import.meta.url), "utf8");
    expect(withToolsDoc(document, renderToolsDoc(STUDIO_TOOLS)), "run `pnpm -F @agentos/mcp contract`").toBe(
      document,
    );
  });
});
