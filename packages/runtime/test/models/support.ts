import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LlmProviderCreate, LOCAL_WORKSPACE_ID } from "@agentos/core";
import {
  createRepositories,
  createSecretCipher,
  migrate,
  openDatabase,
  type Repositories,
} from "@agentos/db";

const FIXTURES = join(import.meta.dirname, "../fixtures");

/** A recorded wire fixture from test/fixtures (see the *-SOURCES.md files there). */
export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");

export const ws = LOCAL_WORKSPACE_ID;

/** A fresh libSQL file with migrations applied and repositories over it. */
export async function openStudioDb(): Promise<{ repos: Repositories; close(): void }> {
  const url = `file:${join(mkdtempSync(join(tmpdir(), "agentos-models-")), "studio.db")}`;
  const db = await openDatabase({ url });
  await migrate(db);
  const repos = createRepositories(db, createSecretCipher("b".repeat(64)));
  await repos.workspaces.ensureLocal();
  return { repos, close: () => db.$client.close() };
}

/** A loopback URL nothing listens on (fetch refuses some well-known ports such as 9 outright). */
export async function unreachableBaseUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

let counter = 0;

/** Stores a provider as the API would: the key sealed, defaults filled in. */
export function makeProvider(
  repos: Repositories,
  provider: Partial<LlmProviderCreate> & Pick<LlmProviderCreate, "kind">,
) {
  return repos.llmProviders.insert(ws, {
    name: provider.name ?? `provider-${++counter}`,
    kind: provider.kind,
    baseUrl: provider.baseUrl ?? null,
    options: provider.options ?? {},
    enabled: provider.enabled ?? true,
    apiKeySecret: provider.apiKey ? repos.secrets.seal(provider.apiKey) : null,
  });
}

export interface ReplayedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown> | null;
}

export interface ReplayResponse {
  status?: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/**
 * A loopback stand-in for a hosted API (Anthropic, Gemini) or a local Ollama: it answers each
 * request with the next recorded response, byte for byte, and records what it was asked.
 */
export async function startReplayServer(...responses: ReplayResponse[]) {
  const requests: ReplayedRequest[] = [];
  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = "";
      request.on("data", (chunk) => {
        text += chunk;
      });
      request.on("end", () => resolve(text));
    });
  const server = createServer(async (request, response) => {
    const text = await readBody(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers[name] = value;
    }
    requests.push({
      method: request.method ?? "GET",
      path: request.url ?? "/",
      headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    });
    const next = responses.shift();
    if (!next) {
      response.writeHead(500, { "content-type": "application/json" });
      response.end('{"error":"the replay ran out of recorded responses"}');
      return;
    }
    response.writeHead(next.status ?? 200, { "content-type": next.contentType, ...next.headers });
    response.end(next.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sse = (name: string): ReplayResponse => ({
  contentType: "text/event-stream",
  body: fixture(name),
});
export const ndjson = (name: string): ReplayResponse => ({
  contentType: "application/x-ndjson",
  body: fixture(name),
});
