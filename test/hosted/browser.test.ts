// Accounts in a real browser: `next start` of the built web app in hosted mode, Debian's
// Chromium driven by playwright-core, a loopback OpenID Connect provider, and an MCP client's
// OAuth sign-in whose consent is given on Studio's consent page.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "../../web/test/browser";
import { freePort } from "../harness/processes";
import { ADMIN, type StudioProcess, signIn, startHostedStudio } from "./harness";
import { type LoopbackOidc, startLoopbackOidc } from "./oidc-provider";

const PASSWORD = "a browser's long password";

describe("accounts in Chromium on a hosted Studio", () => {
  let studio: StudioProcess;
  let oidc: LoopbackOidc;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  let page: Page;

  const me = (p: Page) =>
    p.evaluate(async () => {
      const response = await fetch("/api/me");
      return { status: response.status, body: response.ok ? await response.json() : null };
    });

  async function signOut(p: Page) {
    await p.goto(`${studio.baseUrl}/sign-out`);
    await p.waitForURL(/\/sign-in/);
  }

  beforeAll(async () => {
    const studioPort = await freePort();
    const oidcPort = await freePort();
    oidc = await startLoopbackOidc(oidcPort, `http://127.0.0.1:${studioPort}/api/auth/callback/oidc`);
    studio = await startHostedStudio({
      target: "web",
      port: studioPort,
      env: {
        AGENTOS_SIGNUP: "open",
        AGENTOS_OIDC_ISSUER: oidc.issuer,
        AGENTOS_OIDC_CLIENT_ID: oidc.clientId,
        AGENTOS_OIDC_CLIENT_SECRET: oidc.clientSecret,
        AGENTOS_OIDC_NAME: "Loopback SSO",
      },
    });
    ({ context, close: closeBrowser } = await launchBrowser());
    page = await context.newPage();
  }, 240_000);

  afterAll(async () => {
    await closeBrowser?.();
    await studio?.stop();
    await oidc?.close();
  });

  it("sends a visitor without a session to sign-in, and back after signing up", async () => {
    await page.goto(`${studio.baseUrl}/agents`);
    await page.waitForURL(/\/sign-in\?next=%2Fagents/);
    await screenshot(page, "hosted-sign-in");
    expect((await me(page)).status).toBe(401);
    await page.getByRole("link", { name: "Sign up" }).click();
    await page.waitForURL(/\/sign-up/);
    await page.getByLabel("Name").fill("Sam");
    await page.getByLabel("Email").fill("sam@studio.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${studio.baseUrl}/agents`);
    const signedUp = await me(page);
    expect(signedUp.body).toMatchObject({ kind: "user", user: { email: "sam@studio.test" }, role: "owner" });
    // A new account gets a workspace of its own, not the admin's.
    expect(signedUp.body.workspaceId).not.toBe(LOCAL_WORKSPACE_ID);
  });

  it("signs out, and signs in again with email and password", async () => {
    await signOut(page);
    expect((await me(page)).status).toBe(401);
    await page.goto(`${studio.baseUrl}/`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel("Email").fill("sam@studio.test");
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText(/invalid email or password/i).waitFor();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${studio.baseUrl}/`);
    expect((await me(page)).body).toMatchObject({ user: { email: "sam@studio.test" } });
  });

  it("accepts an invitation into another workspace", async () => {
    const admin = await signIn(studio.baseUrl, ADMIN);
    const invitation = await admin.json<{ id: string }>("/api/auth/organization/invite-member", {
      method: "POST",
      json: { email: "ivy@studio.test", role: "member", organizationId: LOCAL_WORKSPACE_ID },
    });
    await signOut(page);
    await page.goto(`${studio.baseUrl}/invitations/${invitation.id}`);
    await page.waitForURL(/\/sign-in\?next=%2Finvitations/);
    await page.getByRole("link", { name: "Sign up" }).click();
    await page.getByLabel("Name").fill("Ivy");
    await page.getByLabel("Email").fill("ivy@studio.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${studio.baseUrl}/invitations/${invitation.id}`);
    await expect.poll(async () => page.getByText("You are invited to").textContent()).toContain("member");
    await screenshot(page, "hosted-invitation");
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await page.waitForURL(`${studio.baseUrl}/`);
    expect((await me(page)).body).toMatchObject({ workspaceId: LOCAL_WORKSPACE_ID, role: "member" });
  });

  it("lets an owner invite from Settings, showing the link to share and the pending invitation", async () => {
    // A member (Ivy, from the step before) sees who is in the workspace but cannot invite.
    await page.goto(`${studio.baseUrl}/settings`);
    const members = page.getByRole("table", { name: "Members" });
    await expect.poll(() => members.textContent()).toContain("ivy@studio.test");
    expect(await page.getByRole("form", { name: "Invite a member" }).count()).toBe(0);

    await signOut(page);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${studio.baseUrl}/`);
    await page.goto(`${studio.baseUrl}/settings`);
    const form = page.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill("dana@studio.test");
    await form.getByLabel("Role").selectOption("admin");
    await form.getByRole("button", { name: "Invite" }).click();
    const link = page.getByTestId("new-invitation-value");
    await expect
      .poll(() => link.textContent())
      .toMatch(new RegExp(`^${studio.baseUrl}/invitations/inv_\\w+$`));
    const pending = page.getByTestId("invitation-row").filter({ hasText: "dana@studio.test" });
    await expect.poll(() => pending.textContent()).toContain("admin");
    expect(await pending.textContent()).toContain(ADMIN.email);
    await expect.poll(() => members.textContent()).toContain("ivy@studio.test");
    await screenshot(page, "hosted-members");
  });

  it("signs in through an OpenID Connect provider", async () => {
    await signOut(page);
    await page.getByRole("button", { name: "Continue with Loopback SSO" }).click();
    await page.waitForURL(new RegExp(`^${oidc.issuer}/`), { timeout: 10_000 }).catch(async (e) => {
      console.log("URL", page.url(), await page.locator("main").textContent(), studio.output().slice(-3000));
      throw e;
    });
    await page.locator('input[name="login"]').fill("olivia");
    await page.locator('input[name="password"]').fill("anything");
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: "Continue" }).click({ timeout: 10_000 });
    await page.waitForURL(`${studio.baseUrl}/`, { timeout: 10_000 }).catch(async (e) => {
      console.log(page.url(), (await page.content()).slice(0, 2000));
      throw e;
    });
    expect((await me(page)).body).toMatchObject({ kind: "user", user: { email: "olivia@oidc.test" } });
  });

  it("lets a user allow an MCP client on the consent page", async () => {
    // The MCP client's redirect target: a loopback server that receives the authorization code.
    let received: URL | null = null;
    const callback: Server = createServer((req, res) => {
      received = new URL(req.url ?? "/", "http://127.0.0.1");
      res.end("You can close this window.");
    });
    await new Promise<void>((r) => callback.listen(0, "127.0.0.1", r));
    const redirect = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
    const state: { client?: unknown; tokens?: { access_token: string }; verifier: string; url?: URL } = {
      verifier: "",
    };
    const authProvider = {
      redirectUrl: redirect,
      clientMetadata: {
        client_name: "Browser MCP test",
        redirect_uris: [redirect],
        token_endpoint_auth_method: "none",
      },
      clientInformation: () => state.client as never,
      saveClientInformation: (info: unknown) => {
        state.client = info;
      },
      tokens: () => state.tokens as never,
      saveTokens: (tokens: { access_token: string }) => {
        state.tokens = tokens;
      },
      redirectToAuthorization: (url: URL) => {
        state.url = url;
      },
      saveCodeVerifier: (v: string) => {
        state.verifier = v;
      },
      codeVerifier: () => state.verifier,
    };
    const mcpUrl = new URL("/mcp", studio.baseUrl);
    await new Client({ name: "browser-mcp", version: "1.0.0" })
      .connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider }))
      .catch(() => {});
    expect(state.url).toBeDefined();
    await signOut(page);
    await page.goto(state.url!.toString());
    await page.waitForURL(/\/sign-in\?/);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/consent\?/);
    await expect
      .poll(async () => page.getByRole("list", { name: "Requested access" }).textContent())
      .toContain("run");
    await screenshot(page, "hosted-mcp-consent");
    await page.getByRole("button", { name: "Allow" }).click();
    await expect.poll(() => received?.searchParams.get("code") ?? null).not.toBeNull();
    const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider });
    await transport.finishAuth(received!.searchParams.get("code")!);
    const client = new Client({ name: "browser-mcp", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider }));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
    callback.close();
  });
});
