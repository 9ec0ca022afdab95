import { describe, expect, it } from "vitest";
import { fitToolName, mcpResultValue, mcpToolName } from "./mcp";

describe("MCP tool names", () => {
  it("are <server>__<tool> when both fit the model's name rule", () => {
    expect(mcpToolName("everything", "get-sum")).toBe("everything__get-sum");
  });

  it("replace characters models refuse", () => {
    expect(mcpToolName("My Server (prod)", "files.read")).toBe("My_Server_prod___files_read");
    expect(mcpToolName("Ünïcode", "tool")).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it("cut long names to 64 characters with a hash that keeps them apart", () => {
    const a = mcpToolName("s".repeat(40), `${"t".repeat(40)}_one`);
    const b = mcpToolName("s".repeat(40), `${"t".repeat(40)}_two`);
    expect(a).toHaveLength(64);
    expect(a).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(a).not.toBe(b);
    expect(fitToolName("ok_name")).toBe("ok_name");
  });
});

describe("MCP tool results", () => {
  it("are the structured content when the tool gave one", () => {
    expect(
      mcpResultValue({ content: [{ type: "text", text: "{}" }], structuredContent: { temperature: 22 } }),
    ).toEqual({ temperature: 22 });
  });

  it("are the text content joined when there is no structured content", () => {
    expect(
      mcpResultValue({
        content: [
          { type: "text", text: "line one" },
          { type: "image", data: "AAAA", mimeType: "image/png" },
          { type: "text", text: "line two" },
        ],
      }),
    ).toBe("line one\n[image image/png, 3 bytes, not shown]\nline two");
  });

  it("become { error: text } when the tool flags an error", () => {
    expect(mcpResultValue({ content: [{ type: "text", text: "no such city" }], isError: true })).toEqual({
      error: "no such city",
    });
    expect(mcpResultValue({ content: [], isError: true })).toEqual({
      error: "The MCP tool reported an error without a message.",
    });
  });
});
