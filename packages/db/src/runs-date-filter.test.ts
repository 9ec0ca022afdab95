import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createSecretCipher } from "./cipher";
import { openDatabase } from "./client";
import { migrate } from "./migrate";
import { createRepositories, type Repositories } from "./repositories";

let repos: Repositories;
const ids: Record<string, string> = {};

/** A queued run whose createdAt is `createdAt`. */
async function runCreatedAt(createdAt: string): Promise<string> {
  const run = await repos.runStore.queue(LOCAL_WORKSPACE_ID, { kind: "agent", input: "x" });
  await repos.runs.update(LOCAL_WORKSPACE_ID, run.id, { createdAt });
  return run.id;
}

const listed = async (filters: Record<string, string>) =>
  (await repos.runs.list(LOCAL_WORKSPACE_ID, { limit: 50, filters })).items.map((r) => r.id);

beforeAll(async () => {
  const db = await openDatabase({
    url: `file:${join(mkdtempSync(join(tmpdir(), "agentos-runs-")), "studio.db")}`,
  });
  await migrate(db);
  repos = createRepositories(db, createSecretCipher(randomBytes(32).toString("base64")));
  await repos.workspaces.ensureLocal();
  ids.jan = await runCreatedAt("2025-01-15T12:00:00.000Z");
  ids.febStart = await runCreatedAt("2025-02-01T00:00:00.000Z");
  ids.feb = await runCreatedAt("2025-02-10T08:30:00.000Z");
});

describe("runs listed by creation time", () => {
  it("include createdAfter and exclude createdBefore, so adjacent months never overlap", async () => {
    const january = { createdAfter: "2025-01-01T00:00:00Z", createdBefore: "2025-02-01T00:00:00Z" };
    const february = { createdAfter: "2025-02-01T00:00:00Z", createdBefore: "2025-03-01T00:00:00Z" };
    expect(await listed(january)).toEqual([ids.jan]);
    expect(await listed(february)).toEqual([ids.feb, ids.febStart]);
  });

  it("compare instants, whatever offset or precision the bound is written with", async () => {
    expect(await listed({ createdAfter: "2025-02-01T01:00:00+01:00" })).toEqual([ids.feb, ids.febStart]);
    expect(await listed({ createdBefore: "2025-02-01T00:00:00.001Z" })).toEqual([ids.febStart, ids.jan]);
  });

  it("name the bound that is not a date-time", async () => {
    await expect(listed({ createdBefore: "soon" })).rejects.toMatchObject({
      status: 400,
      errors: [{ path: "query.createdBefore" }],
    });
  });
});
