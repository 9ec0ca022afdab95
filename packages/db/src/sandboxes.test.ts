import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Conflict, LOCAL_WORKSPACE_ID, SandboxPolicy, Unavailable } from "@agentos/core";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { migrate } from "./migrate";
import { createSandboxStore } from "./sandboxes";

async function freshStore() {
  const db = await openDatabase({
    url: `file:${join(mkdtempSync(join(tmpdir(), "agentos-sbx-")), "studio.db")}`,
  });
  await migrate(db);
  const store = createSandboxStore(db);
  const sandbox = await store.insert(LOCAL_WORKSPACE_ID, {
    agentId: null,
    runId: null,
    policy: SandboxPolicy.parse({ network: true }),
    envSecret: null,
    workerId: "wrk_00000000000000000000000000",
  });
  return { db, store, sandboxId: sandbox.id };
}

describe("site binding host ports", () => {
  it("gives concurrent bindings distinct ports inside the range", async () => {
    const { db, store, sandboxId } = await freshStore();
    const range = { start: 20000, end: 20039 };
    const bindings = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.insertBinding(
          LOCAL_WORKSPACE_ID,
          { sandboxId, host: `h${i}.example.test`, containerPort: 80 },
          range,
        ),
      ),
    );
    const ports = bindings.map((b) => b.hostPort);
    expect(new Set(ports).size).toBe(40);
    expect(ports.every((p) => p >= range.start && p <= range.end)).toBe(true);
    await expect(
      store.insertBinding(
        LOCAL_WORKSPACE_ID,
        { sandboxId, host: "one-more.example.test", containerPort: 80 },
        range,
      ),
    ).rejects.toThrow(Unavailable);
    db.$client.close();
  });

  // Regression: drizzle's error text quotes the whole INSERT (host_port included), and matching
  // that sent a taken host into an endless retry instead of a conflict.
  it("answers a conflict, not an endless retry, when the host is already bound", async () => {
    const { db, store, sandboxId } = await freshStore();
    const range = { start: 20000, end: 20100 };
    await store.insertBinding(
      LOCAL_WORKSPACE_ID,
      { sandboxId, host: "taken.example.test", containerPort: 80 },
      range,
    );
    await expect(
      store.insertBinding(
        LOCAL_WORKSPACE_ID,
        { sandboxId, host: "taken.example.test", containerPort: 81 },
        range,
      ),
    ).rejects.toThrow(Conflict);
    db.$client.close();
  });

  it("skips ports that something outside the database holds", async () => {
    const { db, store, sandboxId } = await freshStore();
    const binding = await store.insertBinding(
      LOCAL_WORKSPACE_ID,
      { sandboxId, host: "free.example.test", containerPort: 80 },
      { start: 20000, end: 20002 },
      async (port) => port === 20001,
    );
    expect(binding.hostPort).toBe(20001);
    db.$client.close();
  });
});
