import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/client";
import { MIGRATIONS } from "../src/migrations.gen";

const run = promisify(execFile);
const tsx = createRequire(import.meta.url).resolve("tsx/cli");

describe("migrations across processes", () => {
  it("apply exactly once when four processes start together on one file", async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), "agentos-migrate-")), "studio.db")}`;
    const script = join(import.meta.dirname, "fixtures/migrate-once.ts");
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, [tsx, script, url]).then((r) => JSON.parse(r.stdout)),
      ),
    );
    expect(outputs.reduce((sum, r: { applied: number }) => sum + r.applied, 0)).toBe(MIGRATIONS.length);
    const db = await openDatabase({ url });
    const rows = await db.$client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
    expect(Number(rows.rows[0]?.n)).toBe(MIGRATIONS.length);
    db.$client.close();
  });
});
