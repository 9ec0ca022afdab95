import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createChangeFeed } from "./change-feed";
import { openDatabase } from "./client";
import { migrate } from "./migrate";

describe("change feed", () => {
  it("wakes a reader when another connection commits, long before its timeout", async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), "agentos-feed-")), "studio.db")}`;
    const reader = await openDatabase({ url });
    const writer = await openDatabase({ url });
    await migrate(writer);
    const feed = createChangeFeed(reader);
    const started = performance.now();
    const woken = feed.next(10_000);
    await writer.$client.execute(
      "INSERT INTO workspaces (id, name, slug, created_at, updated_at) VALUES ('ws_00000000000000000000000001', 'x', 'x', '', '')",
    );
    await woken;
    expect(performance.now() - started).toBeLessThan(2_000);
    feed.close();
    reader.$client.close();
    writer.$client.close();
  });

  it("does not miss a commit that lands between a reader's query and its wait", async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), "agentos-feed-")), "studio.db")}`;
    const reader = await openDatabase({ url });
    const writer = await openDatabase({ url });
    await migrate(writer);
    const feed = createChangeFeed(reader);
    const seen = feed.generation();
    // The reader "queries" here; meanwhile another process commits.
    await writer.$client.execute(
      "INSERT INTO workspaces (id, name, slug, created_at, updated_at) VALUES ('ws_00000000000000000000000002', 'y', 'y', '', '')",
    );
    while (feed.generation() === seen) await new Promise((resolve) => setImmediate(resolve));
    // Waiting after the fact still returns at once instead of sleeping out the timeout.
    const started = performance.now();
    await feed.next(10_000, seen);
    expect(performance.now() - started).toBeLessThan(1_000);
    feed.close();
    reader.$client.close();
    writer.$client.close();
  });

  it("falls back to the timeout when nothing changes", async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), "agentos-feed-")), "studio.db")}`;
    const db = await openDatabase({ url });
    await migrate(db);
    const feed = createChangeFeed(db);
    const started = performance.now();
    await feed.next(50);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    feed.close();
    db.$client.close();
  });
});
