import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { createRepositories, createSecretCipher, type Database, migrate, openDatabase } from "@agentos/db";
import { afterEach, describe, expect, it } from "vitest";
import { createRateLimiter } from "./token-bucket";

const ws = LOCAL_WORKSPACE_ID;
const SECRET = "a".repeat(64);
const opened: Database[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) db.$client.close();
});

/** One "process": its own libSQL client on the shared file. */
async function openProcess(url: string) {
  const db = await openDatabase({ url });
  opened.push(db);
  await migrate(db);
  return { db, repos: createRepositories(db, createSecretCipher(SECRET)) };
}

/** A clock every limiter shares; sleeping advances it instead of waiting. */
function makeClock(start = Date.parse("2025-01-01T00:00:00Z")) {
  const clock = { ms: start, slept: [] as number[] };
  return {
    clock,
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.ms += ms;
    },
  };
}

async function setUp(limit: {
  model?: string | null;
  requestsPerMinute?: number | null;
  tokensPerMinute?: number | null;
}) {
  const url = `file:${join(mkdtempSync(join(tmpdir(), "agentos-ratelimit-")), "studio.db")}`;
  const first = await openProcess(url);
  const second = await openProcess(url);
  const provider = await first.repos.llmProviders.insert(ws, {
    name: "Stand-in",
    kind: "openai-compatible",
    baseUrl: "http://127.0.0.1:9/v1",
    options: {},
    enabled: true,
    apiKeySecret: null,
  });
  await first.repos.rateLimits.insert(ws, {
    providerId: provider.id,
    model: null,
    requestsPerMinute: null,
    tokensPerMinute: null,
    ...limit,
  });
  return { first, second, providerId: provider.id };
}

const request = (providerId: string, estimatedTokens = 0, model = "gpt-4o-mini") => ({
  workspaceId: ws,
  providerId,
  model,
  estimatedTokens,
});

describe("token bucket rate limiter", () => {
  it("shares 5 requests per minute between two processes: the 6th waits for the refill", async () => {
    const { first, second, providerId } = await setUp({ requestsPerMinute: 5 });
    const time = makeClock();
    const a = createRateLimiter({ ...first, now: time.now, sleep: time.sleep });
    const b = createRateLimiter({ ...second, now: time.now, sleep: time.sleep });
    for (const limiter of [a, b, a, b, a]) await limiter.acquire(request(providerId));
    expect(time.clock.slept).toEqual([]);

    await b.acquire(request(providerId));
    // 5 per minute refills one request every 12 s.
    expect(time.clock.slept).toEqual([12_000]);
  });

  it("admits exactly 5 of 12 concurrent requests from two processes when none may wait", async () => {
    const { first, second, providerId } = await setUp({ requestsPerMinute: 5 });
    const time = makeClock();
    const a = createRateLimiter({ ...first, now: time.now, maxWaitMs: 0 });
    const b = createRateLimiter({ ...second, now: time.now, maxWaitMs: 0 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).acquire(request(providerId))),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(5);
  });

  it("fails the 6th request when the refill would take longer than maxWaitMs, naming the limit", async () => {
    const { first, second, providerId } = await setUp({ requestsPerMinute: 5 });
    const time = makeClock();
    const a = createRateLimiter({ ...first, now: time.now, sleep: time.sleep, maxWaitMs: 5_000 });
    const b = createRateLimiter({ ...second, now: time.now, sleep: time.sleep, maxWaitMs: 5_000 });
    for (const limiter of [a, a, a, b, b]) await limiter.acquire(request(providerId));

    const error = await b.acquire(request(providerId)).catch((e) => e);
    expect(error).toMatchObject({ status: 503, code: "unavailable" });
    expect(error.message).toBe(
      'The rate limit of provider "Stand-in" for all its models (5 requests per minute) is exhausted: the next request fits in 12 s, longer than the 5 s a call may wait. Raise the limit or try again later.',
    );
    expect(time.clock.slept).toEqual([]);
  });

  it("debits token buckets by the estimate and by actual usage beyond it", async () => {
    const { first, second, providerId } = await setUp({ tokensPerMinute: 1_000 });
    const time = makeClock();
    const a = createRateLimiter({ ...first, now: time.now, sleep: time.sleep });
    const b = createRateLimiter({ ...second, now: time.now, sleep: time.sleep });

    await a.acquire(request(providerId, 600));
    // The call used 900 tokens, not 600: 100 remain.
    await a.recordTokens({ ...request(providerId), estimatedTokens: 600, actualTokens: 900 });
    await b.acquire(request(providerId, 100));
    expect(time.clock.slept).toEqual([]);

    // 300 more tokens at 1000/min take 18 s to refill.
    await b.acquire(request(providerId, 300));
    expect(time.clock.slept).toEqual([18_000]);
  });

  it("refunds an overestimate", async () => {
    const { first, providerId } = await setUp({ tokensPerMinute: 1_000 });
    const time = makeClock();
    const limiter = createRateLimiter({ ...first, now: time.now, sleep: time.sleep });
    await limiter.acquire(request(providerId, 1_000));
    await limiter.recordTokens({ ...request(providerId), estimatedTokens: 1_000, actualTokens: 200 });
    await limiter.acquire(request(providerId, 800));
    expect(time.clock.slept).toEqual([]);
  });

  it("refills over time, up to the capacity and no further", async () => {
    const { first, providerId } = await setUp({ requestsPerMinute: 2 });
    const time = makeClock();
    const limiter = createRateLimiter({ ...first, now: time.now, sleep: time.sleep, maxWaitMs: 0 });
    await limiter.acquire(request(providerId));
    await limiter.acquire(request(providerId));
    await expect(limiter.acquire(request(providerId))).rejects.toThrow(/2 requests per minute/);

    time.clock.ms += 10 * 60_000; // ten idle minutes refill two requests, not twenty
    await limiter.acquire(request(providerId));
    await limiter.acquire(request(providerId));
    await expect(limiter.acquire(request(providerId))).rejects.toThrow(/next request fits in 30 s/);
  });

  it("applies the provider-wide and the model's own limit together", async () => {
    const { first, providerId } = await setUp({ requestsPerMinute: 10 });
    await first.repos.rateLimits.insert(ws, {
      providerId,
      model: "gpt-4o",
      requestsPerMinute: 1,
      tokensPerMinute: null,
    });
    const time = makeClock();
    const limiter = createRateLimiter({ ...first, now: time.now, sleep: time.sleep, maxWaitMs: 0 });
    await limiter.acquire(request(providerId, 0, "gpt-4o"));
    await expect(limiter.acquire(request(providerId, 0, "gpt-4o"))).rejects.toThrow(
      /for model gpt-4o \(1 request per minute\)/,
    );
    // The refused call took nothing from the provider-wide bucket: 9 other requests still fit.
    for (let i = 0; i < 9; i++) await limiter.acquire(request(providerId, 0, "gpt-4o-mini"));
    await expect(limiter.acquire(request(providerId, 0, "gpt-4o-mini"))).rejects.toThrow(/all its models/);
  });

  it("stops waiting when the signal aborts", async () => {
    const { first, providerId } = await setUp({ requestsPerMinute: 1 });
    const controller = new AbortController();
    const limiter = createRateLimiter({
      ...first,
      maxWaitMs: 120_000,
      sleep: async () => controller.abort(new Error("run cancelled")),
    });
    await limiter.acquire(request(providerId), controller.signal);
    await expect(limiter.acquire(request(providerId), controller.signal)).rejects.toThrow("run cancelled");
  });

  it("lets calls through at once when the provider has no limits", async () => {
    const { first } = await setUp({ requestsPerMinute: 1 });
    const limiter = createRateLimiter({ ...first, maxWaitMs: 0 });
    for (let i = 0; i < 3; i++) await limiter.acquire(request("llm_without_limits"));
  });
});
