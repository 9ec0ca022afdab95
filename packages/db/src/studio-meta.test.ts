import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { migrate } from "./migrate";
import { createStudioMetaRepository, legacySandboxScopeOfKey } from "./studio-meta";

const freshUrl = () => `file:${join(mkdtempSync(join(tmpdir(), "agentos-meta-")), "studio.db")}`;

describe("studio meta", () => {
  it("makes one installation id that every connection to the database agrees on", async () => {
    const url = freshUrl();
    const setup = await openDatabase({ url });
    await migrate(setup);
    expect(await createStudioMetaRepository(setup).findInstallationId()).toBeNull();
    setup.$client.close();

    // Workers starting together each ask; the first insert wins and the others read it.
    const clients = await Promise.all(Array.from({ length: 6 }, () => openDatabase({ url })));
    const ids = await Promise.all(clients.map((db) => createStudioMetaRepository(db).installationId()));
    expect(new Set(ids).size).toBe(1);
    for (const db of clients) db.$client.close();

    const later = await openDatabase({ url });
    const meta = createStudioMetaRepository(later);
    expect(await meta.installationId()).toBe(ids[0]);
    expect(await meta.findInstallationId()).toBe(ids[0]);
    later.$client.close();
  });

  it("keeps the first value of a key and lists keys by literal prefix", async () => {
    const db = await openDatabase({ url: freshUrl() });
    await migrate(db);
    const meta = createStudioMetaRepository(db);
    expect(await meta.putIfAbsent("scope:a", "1")).toBe("1");
    expect(await meta.putIfAbsent("scope:a", "2")).toBe("1");
    await meta.putIfAbsent("scope:b", "3");
    await meta.putIfAbsent("scopeXc", "4");
    expect(await meta.entriesWithPrefix("scope:")).toEqual([
      { key: "scope:a", value: "1" },
      { key: "scope:b", value: "3" },
    ]);
    expect(await meta.entriesWithPrefix("scope%")).toEqual([]);
    expect(await meta.find("missing")).toBeNull();
    db.$client.close();
  });

  it("remembers the legacy sandbox scope of each key once, whatever the order keys come in", async () => {
    const db = await openDatabase({ url: freshUrl() });
    await migrate(db);
    const meta = createStudioMetaRepository(db);
    const [oldKey, newKey] = ["a".repeat(64), "b".repeat(64)];
    await meta.rememberLegacySandboxScopes([oldKey]);
    await meta.rememberLegacySandboxScopes([newKey, oldKey]);
    expect((await meta.legacySandboxScopes()).sort()).toEqual(
      [legacySandboxScopeOfKey(oldKey), legacySandboxScopeOfKey(newKey)].sort(),
    );
    expect(legacySandboxScopeOfKey(` ${oldKey}\n`)).toBe(legacySandboxScopeOfKey(oldKey));
    expect(legacySandboxScopeOfKey(oldKey)).toMatch(/^[0-9a-f]{16}$/);
    db.$client.close();
  });
});
