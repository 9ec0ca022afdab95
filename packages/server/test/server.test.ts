import { createClient } from "@agentos/client";
import { describe, expect, it } from "vitest";
import { startHeadlessServer } from "../../../test/harness/processes";

describe("agentos-server", () => {
  it("serves the API and exits 0 on SIGTERM, keeping what was written", async () => {
    const server = await startHeadlessServer();
    const client = createClient({ baseUrl: server.baseUrl });
    const token = await client.tokens.create({ name: "survives restart" });
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain("draining");

    const again = await startHeadlessServer({ AGENTOS_DATA_DIR: server.dataDir });
    try {
      const tokens = await createClient({ baseUrl: again.baseUrl }).tokens.list();
      expect(tokens.items.map((t) => t.id)).toEqual([token.id]);
    } finally {
      await again.stop();
    }
  });

  it("refuses a bad setting at start with the variable's name", async () => {
    await expect(startHeadlessServer({ API_BODY_LIMIT_BYTES: "lots" })).rejects.toThrow(
      /API_BODY_LIMIT_BYTES/,
    );
  });
});
