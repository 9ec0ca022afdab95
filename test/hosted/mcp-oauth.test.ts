// MCP authorization per the MCP spec against a hosted headless server: the SDK client's own
// OAuth flow (protected-resource discovery, authorization-server metadata, dynamic client
// registration, PKCE, consent, token bound to /mcp), then tools/list with the token.

import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { type OAuthClientProvider, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initializeMessage, postMcp } from "../mcp/harness";
import { ADMIN, type Session, type StudioProcess, signIn, startHostedStudio } from "./harness";

const REDIRECT = "http://127.0.0.1:9/callback";

/** An MCP client's OAuth state, kept in memory as a CLI would keep it on disk. */
class MemoryOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  stored?: OAuthTokens;
  verifier = "";
  authorizationUrl?: URL;
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "agentos-tests",
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      scope: "read write run",
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: OAuthTokens) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** What the browser does between the authorization URL and the redirect back: sign-in and consent. */
async function authorizeAsUser(session: Session, authorizationUrl: URL): Promise<string> {
  let response = await session.fetch(authorizationUrl.pathname + authorizationUrl.search);
  let location = response.headers.get("location") ?? "";
  if (response.status === 200) {
    const body = (await response.json()) as { url?: string; redirect?: boolean };
    location = body.url ?? "";
  }
  const consentUrl = new URL(location, session.baseUrl);
  if (consentUrl.pathname === "/consent") {
    // The consent page posts the user's decision with the signed query it was given.
    response = await session.fetch("/api/auth/oauth2/consent", {
      method: "POST",
      json: { accept: true, oauth_query: consentUrl.search.slice(1) },
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(400);
    location =
      response.headers.get("location") ??
      (JSON.parse(text) as { url?: string; uri?: string }).url ??
      JSON.parse(text).uri;
  }
  const callback = new URL(location);
  expect(callback.origin + callback.pathname).toBe(REDIRECT);
  const code = callback.searchParams.get("code");
  expect(code, `no code in ${location}`).toBeTruthy();
  return code!;
}

describe("MCP OAuth on a hosted Studio", () => {
  let studio: StudioProcess;

  beforeAll(async () => {
    studio = await startHostedStudio();
  }, 120_000);

  afterAll(() => studio?.stop());

  it("answers a request without a token with 401 and the resource metadata", async () => {
    const response = await postMcp(studio.baseUrl, initializeMessage());
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain(
      `resource_metadata="${studio.baseUrl}/.well-known/oauth-protected-resource/mcp"`,
    );
    const metadata = await (await fetch(`${studio.baseUrl}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(metadata).toMatchObject({
      resource: `${studio.baseUrl}/mcp`,
      authorization_servers: [expect.any(String)],
    });
  });

  it("lets the SDK client sign in (discovery, registration, PKCE, consent, token) and list tools", async () => {
    const provider = new MemoryOAuthProvider();
    const url = new URL("/mcp", studio.baseUrl);
    const first = new Client({ name: "oauth-test", version: "1.0.0" });
    await expect(
      first.connect(new StreamableHTTPClientTransport(url, { authProvider: provider })),
    ).rejects.toThrow(UnauthorizedError);
    expect(provider.client?.client_id).toBeTruthy();
    const authorizationUrl = provider.authorizationUrl!;
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl.searchParams.get("resource")).toBe(`${studio.baseUrl}/mcp`);

    const user = await signIn(studio.baseUrl, ADMIN);
    const code = await authorizeAsUser(user, authorizationUrl);
    const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
    await transport.finishAuth(code);
    expect(provider.stored?.access_token).toBeTruthy();

    const client = new Client({ name: "oauth-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain("list_agents");
    const me = await fetch(`${studio.baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${provider.stored!.access_token}` },
    });
    expect(await me.json()).toMatchObject({
      kind: "oauth",
      workspaceId: LOCAL_WORKSPACE_ID,
      scopes: expect.arrayContaining(["read", "write", "run"]),
    });
    // The token is bound to /mcp: a token for another resource (here: a forged one) is refused.
    const forged = await postMcp(studio.baseUrl, initializeMessage(), {
      authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x",
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toContain('error="invalid_token"');
    await client.close();
  });
});
