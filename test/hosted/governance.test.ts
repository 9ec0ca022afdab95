// Sign-in lockout, sign-out, the per-token request limit, the audit log and its NDJSON export on
// a hosted headless server; and a local-mode Studio refusing to listen beyond loopback.
import { createRequire } from "node:module";
import { join } from "node:path";
import { createClient } from "@agentos/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAgent } from "../harness/factories";
import { freshDataDir, REPO_ROOT } from "../harness/processes";
import { ADMIN, runToExit, Session, type StudioProcess, signIn, signUp, startHostedStudio } from "./harness";

describe("governance on a hosted Studio", () => {
  let studio: StudioProcess;
  let admin: Session;
  let token: string;

  beforeAll(async () => {
    studio = await startHostedStudio({
      env: {
        AGENTOS_SIGNUP: "open",
        AGENTOS_TOKEN_REQUESTS_PER_MINUTE: "30",
        AGENTOS_LOGIN_MAX_FAILURES: "3",
        // The placeholder provider's base URL (never called) is on loopback, which hosted mode refuses unless allowed.
        AGENTOS_OUTBOUND_ALLOW: "127.0.0.1:9",
      },
    });
    admin = await signIn(studio.baseUrl, ADMIN);
    token = (
      await admin.json<{ token: string }>("/api/tokens", {
        method: "POST",
        json: { name: "gov", scopes: ["read", "write", "run", "admin"] },
      })
    ).token;
  }, 120_000);

  afterAll(() => studio?.stop());

  it("locks an account after repeated failed sign-ins, even for the right password", async () => {
    const who = { email: "lock@studio.test", password: "the right long password", name: "Lock" };
    await signUp(studio.baseUrl, who);
    for (let i = 0; i < 3; i++) {
      const wrong = await new Session(studio.baseUrl).fetch("/api/auth/sign-in/email", {
        method: "POST",
        json: { email: who.email, password: "not the password" },
      });
      expect(wrong.status).toBe(401);
    }
    const locked = await new Session(studio.baseUrl).fetch("/api/auth/sign-in/email", {
      method: "POST",
      json: { email: who.email, password: who.password },
    });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("Too many failed sign-ins");
  });

  it("ends a session on sign-out", async () => {
    const session = await signIn(studio.baseUrl, ADMIN);
    expect((await session.fetch("/api/me")).status).toBe(200);
    await session.json("/api/auth/sign-out", { method: "POST", json: {} });
    expect((await session.fetch("/api/me")).status).toBe(401);
  });

  it("answers 429 problem+json with Retry-After once a token used its requests of the minute", async () => {
    const limited = (
      await admin.json<{ token: string }>("/api/tokens", {
        method: "POST",
        json: { name: "limited", scopes: ["read"] },
      })
    ).token;
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 31; i++) {
      const response = await fetch(`${studio.baseUrl}/api/agents`, {
        headers: { authorization: `Bearer ${limited}` },
      });
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(refused?.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await refused!.json()).code).toBe("rate_limited");
    // Another token is not held by that one's limit.
    expect(
      (await fetch(`${studio.baseUrl}/api/agents`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
  });

  it("records who did what, filterable and exportable as NDJSON", async () => {
    const client = createClient({ baseUrl: studio.baseUrl, token });
    const agent = await makeAgent(client);
    await client.agents.update(agent.id, { description: "audited" });
    const run = await client.agents.execute(agent.id, "hi");
    await client.runs.cancel(run.id);
    const extra = await client.tokens.create({ name: "audited", scopes: ["read"] });
    // A read-only token's write is refused by the scope check, and the refusal is on record too.
    const refused = await fetch(`${studio.baseUrl}/api/agents/${agent.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${extra.token}`, "content-type": "application/json" },
      body: JSON.stringify({ description: "not allowed" }),
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    await client.tokens.revoke(extra.id);
    const page = await (
      await fetch(`${studio.baseUrl}/api/audit?limit=200`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    const actions = (page.items as Array<{ action: string; targetId: string | null; actorKind: string }>).map(
      (e) => `${e.action}:${e.targetId}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        `agent.create:${agent.id}`,
        `agent.update:${agent.id}`,
        `agent.update.denied:${agent.id}`,
        `run.start:${run.id}`,
        `run.cancel:${run.id}`,
        `token.create:${extra.id}`,
        `token.revoke:${extra.id}`,
      ]),
    );
    expect(actions.some((a) => a.startsWith("auth.sign_in"))).toBe(true);
    const tokensOnly = await (
      await fetch(`${studio.baseUrl}/api/audit?action=token.`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    expect((tokensOnly.items as Array<{ action: string }>).every((e) => e.action.startsWith("token."))).toBe(
      true,
    );
    const ndjson = await fetch(`${studio.baseUrl}/api/audit?format=ndjson`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ndjson.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = (await ndjson.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string });
    expect(lines.length).toBe(page.items.length);
    expect(lines.map((l) => l.action)).toContain("run.cancel");
  });
});

describe("local mode", () => {
  it("refuses to listen beyond loopback without accounts, saying how to enable them", async () => {
    const tsx = createRequire(import.meta.url).resolve("tsx/cli", {
      paths: [join(REPO_ROOT, "packages/server")],
    });
    const { code, output } = await runToExit([tsx, join(REPO_ROOT, "packages/server/src/main.ts")], {
      AGENTOS_DATA_DIR: freshDataDir(),
      HOST: "0.0.0.0",
      PORT: "0",
    });
    expect(code).toBe(1);
    expect(output).toContain("refusing to listen on 0.0.0.0 in local mode");
    expect(output).toContain("AGENTOS_MODE=hosted");
  });
});
