import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { migrate } from "./migrate";
import { MIGRATIONS } from "./migrations.gen";

const freshUrl = () => `file:${join(mkdtempSync(join(tmpdir(), "agentos-migrate-")), "studio.db")}`;

async function tableNames(url: string): Promise<string[]> {
  const db = await openDatabase({ url });
  const result = await db.$client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
  );
  db.$client.close();
  return result.rows.map((r) => String(r.name));
}

describe("migrations", () => {
  it("apply to an empty database and create every table", async () => {
    const url = freshUrl();
    const db = await openDatabase({ url });
    expect(await migrate(db)).toEqual({ applied: MIGRATIONS.length, total: MIGRATIONS.length });
    db.$client.close();
    expect(await tableNames(url)).toEqual(
      expect.arrayContaining(["agents", "runs", "run_events", "run_steps", "api_tokens"]),
    );
  });

  it("are idempotent on restart", async () => {
    const url = freshUrl();
    for (const expected of [MIGRATIONS.length, 0, 0]) {
      const db = await openDatabase({ url });
      expect((await migrate(db)).applied).toBe(expected);
      db.$client.close();
    }
  });

  it("keep the embedded copy in step with migrations/", async () => {
    const { readMigrationFiles } = await import("drizzle-orm/migrator");
    const onDisk = readMigrationFiles({
      migrationsFolder: new URL("../migrations", import.meta.url).pathname,
    });
    expect(MIGRATIONS.map((m) => m.hash)).toEqual(onDisk.map((m) => m.hash));
  });

  it("open the file in WAL mode without a disk flush per commit", async () => {
    const db = await openDatabase({ url: freshUrl() });
    const mode = await db.$client.execute("PRAGMA journal_mode");
    expect(String(mode.rows[0]?.[0])).toBe("wal");
    const synchronous = await db.$client.execute("PRAGMA synchronous");
    expect(Number(synchronous.rows[0]?.[0])).toBe(1); // NORMAL
    db.$client.close();
  });
});
