// `agentos secrets rotate-key` on a local Studio's data directory: every sealed value moves to a
// new master key, which replaces secret.key; a Studio started afterwards still opens them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@agentos/client";
import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { createRepositories, createSecretCipher, legacySandboxScopeOfKey, openDatabase } from "@agentos/db";
import { keyIdOf } from "@agentos/db/auth";
import { expect, it } from "vitest";
import { makeProvider } from "../harness/factories";
import { REPO_ROOT, startHeadlessServer } from "../harness/processes";
import { runToExit } from "./harness";

it("re-seals every secret under a new local key, keeping the old key beside it", async () => {
  const first = await startHeadlessServer();
  const dataDir = first.dataDir;
  const client = createClient({ baseUrl: first.baseUrl });
  const provider = await makeProvider(client, { apiKey: "sk-rotated-provider-key" });
  const created = await fetch(`${first.baseUrl}/api/secrets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "ROTATED", value: "vault-value-before-rotation" }),
  });
  expect(created.status).toBe(201);
  await first.stop();
  const oldKey = readFileSync(join(dataDir, "secret.key"), "utf8").trim();

  const { code, output } = await runToExit(
    [join(REPO_ROOT, "packages/server/bin/agentos.js"), "secrets", "rotate-key"],
    {
      AGENTOS_DATA_DIR: dataDir,
    },
  );
  expect(code, output).toBe(0);
  expect(output).toContain("re-sealed 2 value(s)");
  const newKey = readFileSync(join(dataDir, "secret.key"), "utf8").trim();
  expect(newKey).not.toBe(oldKey);
  expect(readFileSync(join(dataDir, `secret.key.${keyIdOf(oldKey)}.old`), "utf8").trim()).toBe(oldKey);

  const db = await openDatabase({ url: `file:${join(dataDir, "studio.db")}` });
  try {
    const repos = createRepositories(db, createSecretCipher(newKey));
    const row = await repos.llmProviders.getRow(LOCAL_WORKSPACE_ID, provider.id);
    expect(repos.secrets.open(row.apiKeySecret!)).toBe("sk-rotated-provider-key");
    // Sandboxes labelled by earlier releases with the old key's scope stay recognised by workers.
    expect(await repos.studioMeta.legacySandboxScopes()).toContain(legacySandboxScopeOfKey(oldKey));
  } finally {
    db.$client.close();
  }
  const second = await startHeadlessServer({ AGENTOS_DATA_DIR: dataDir });
  try {
    const secrets = await (await fetch(`${second.baseUrl}/api/secrets`)).json();
    expect(secrets.items[0]).toMatchObject({ name: "ROTATED", keyId: keyIdOf(newKey) });
  } finally {
    await second.stop();
  }
});
