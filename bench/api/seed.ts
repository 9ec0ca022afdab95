// Seeding through the contract API, shared by the API and MCP benchmarks.

/** A JSON request that throws with the status and body when it fails. */
export async function requestJson(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url} → ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** Creates the provider agents need and `count` agents through the API; returns the provider id. */
export async function seedAgents(baseUrl: string, count: number): Promise<string> {
  const provider = (await requestJson(`${baseUrl}/api/llm/providers`, {
    method: "POST",
    body: JSON.stringify({ name: "bench", kind: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1" }),
  })) as { id: string };
  for (let i = 1; i <= count; i++) {
    await requestJson(`${baseUrl}/api/agents`, {
      method: "POST",
      body: JSON.stringify({
        name: `seed-${String(i).padStart(3, "0")}`,
        model: { providerId: provider.id, model: "m" },
      }),
    });
  }
  return provider.id;
}
