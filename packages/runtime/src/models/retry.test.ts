import { Invalid } from "@agentos/core";
import { APICallError } from "@ai-sdk/provider";
import { RetryError } from "ai";
import { describe, expect, it } from "vitest";
import { describeProviderError, ProviderError, requestedRetryDelayMs, withProviderRetries } from "./retry";

const URL = "https://api.example.com/v1/chat/completions?api-version=2024-10-21";

function apiError(
  statusCode: number | undefined,
  options: { headers?: Record<string, string>; body?: unknown; cause?: unknown } = {},
) {
  return new APICallError({
    message: statusCode === undefined ? "Cannot connect to API: fetch failed" : `HTTP ${statusCode}`,
    url: URL,
    requestBodyValues: {},
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(options.headers ? { responseHeaders: options.headers } : {}),
    ...(options.body === undefined ? {} : { responseBody: JSON.stringify(options.body) }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    isRetryable: statusCode === undefined || statusCode === 429 || statusCode >= 500,
  });
}

/** A scripted call: throws the given errors in turn, then answers "done". */
function scripted(...failures: unknown[]) {
  const calls: number[] = [];
  const fn = async (attempt: number) => {
    calls.push(attempt);
    const failure = failures.shift();
    if (failure !== undefined) throw failure;
    return "done";
  };
  return { fn, calls };
}

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe("withProviderRetries", () => {
  it("retries a 429 after the wait its retry-after header asks for", async () => {
    const { fn, calls } = scripted(apiError(429, { headers: { "retry-after": "7" } }));
    const { delays, sleep } = recordingSleep();
    await expect(withProviderRetries(fn, { maxRetries: 3, sleep })).resolves.toBe("done");
    expect(calls).toEqual([0, 1]);
    expect(delays).toEqual([7000]);
  });

  it("prefers retry-after-ms and understands an HTTP date", async () => {
    expect(
      requestedRetryDelayMs(apiError(429, { headers: { "retry-after-ms": "250", "retry-after": "9" } })),
    ).toBe(250);
    const now = Date.parse("2025-01-01T00:00:00Z");
    const date = new Date(now + 4000).toUTCString();
    expect(requestedRetryDelayMs(apiError(429, { headers: { "Retry-After": date } }), now)).toBe(4000);
  });

  it("reads Gemini's RetryInfo delay from the body when no header says", () => {
    const body = {
      error: {
        code: 429,
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "34.4s" }],
      },
    };
    expect(requestedRetryDelayMs(apiError(429, { body }))).toBe(34_400);
  });

  it("retries a 500 with exponential backoff and jitter", async () => {
    const { fn, calls } = scripted(apiError(500), apiError(503), apiError(502));
    const { delays, sleep } = recordingSleep();
    await expect(withProviderRetries(fn, { maxRetries: 3, sleep, random: () => 0.5 })).resolves.toBe("done");
    expect(calls).toEqual([0, 1, 2, 3]);
    // Equal jitter around 1 s, 2 s, 4 s: half fixed, half random (0.5 here).
    expect(delays).toEqual([750, 1500, 3000]);
  });

  it("retries network failures", async () => {
    const refused = apiError(undefined, {
      cause: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
    });
    const { fn, calls } = scripted(refused);
    await expect(withProviderRetries(fn, { maxRetries: 1, sleep: async () => {} })).resolves.toBe("done");
    expect(calls).toEqual([0, 1]);
  });

  it("does not retry a 401 and says the key is invalid", async () => {
    const body = { error: { message: "Incorrect API key provided: sk-wrong.", code: "invalid_api_key" } };
    const { fn, calls } = scripted(apiError(401, { body }));
    const error = await withProviderRetries(fn, { maxRetries: 5, sleep: async () => {} }).catch((e) => e);
    expect(calls).toEqual([0]);
    expect(ProviderError.is(error)).toBe(true);
    expect(error).toMatchObject({ retriable: false, attempts: 1, upstreamStatus: 401 });
    expect(error.message).toContain("invalid API key — update the provider's key");
    expect(error.message).toContain("Incorrect API key provided");
  });

  it("treats 400 and 404 as final but 408 and 409 as worth another try", async () => {
    for (const status of [400, 403, 404, 422]) {
      const { fn, calls } = scripted(apiError(status));
      await expect(withProviderRetries(fn, { maxRetries: 2, sleep: async () => {} })).rejects.toMatchObject({
        retriable: false,
      });
      expect(calls).toEqual([0]);
    }
    for (const status of [408, 409]) {
      const { fn } = scripted(apiError(status));
      await expect(withProviderRetries(fn, { maxRetries: 2, sleep: async () => {} })).resolves.toBe("done");
    }
  });

  it("gives up after maxRetries with a clear error", async () => {
    const { fn, calls } = scripted(apiError(429), apiError(429), apiError(429));
    const error = await withProviderRetries(fn, { maxRetries: 2, sleep: async () => {} }).catch((e) => e);
    expect(calls).toEqual([0, 1, 2]);
    expect(error).toMatchObject({ retriable: true, attempts: 3, upstreamStatus: 429 });
    expect(error.message).toMatch(
      /^429 from https:\/\/api\.example\.com\/v1\/chat\/completions: rate limited/,
    );
    expect(error.message).toContain("Gave up after 3 attempts.");
    expect(error.message).not.toContain("api-version");
  });

  it("stops when the provider asks for a longer wait than a call may take", async () => {
    const { fn, calls } = scripted(apiError(429, { headers: { "retry-after": "3600" } }));
    const error = await withProviderRetries(fn, { maxRetries: 5, sleep: async () => {} }).catch((e) => e);
    expect(calls).toEqual([0]);
    expect(error.message).toContain("asks to wait 3600 s");
  });

  it("unwraps an AI SDK RetryError", async () => {
    const wrapped = new RetryError({
      message: "failed",
      reason: "errorNotRetryable",
      errors: [apiError(401)],
    });
    const { fn } = scripted(wrapped);
    await expect(withProviderRetries(fn, { maxRetries: 2, sleep: async () => {} })).rejects.toMatchObject({
      retriable: false,
      upstreamStatus: 401,
    });
  });

  it("lets errors that are not provider failures through untouched", async () => {
    const invalid = new Invalid("bad input");
    await expect(withProviderRetries(scripted(invalid).fn, { maxRetries: 2 })).rejects.toBe(invalid);
    const bug = new TypeError("x is not a function");
    await expect(withProviderRetries(scripted(bug).fn, { maxRetries: 2 })).rejects.toBe(bug);
  });

  it("stops waiting when the signal aborts", async () => {
    const controller = new AbortController();
    const { fn, calls } = scripted(apiError(500), apiError(500));
    const sleep = async () => controller.abort(new Error("run cancelled"));
    await expect(
      withProviderRetries(fn, { maxRetries: 5, sleep, signal: controller.signal }),
    ).rejects.toThrow("run cancelled");
    expect(calls).toEqual([0]);
  });
});

describe("describeProviderError", () => {
  it("names an unreachable endpoint and why", () => {
    const refused = apiError(undefined, {
      cause: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
    });
    expect(describeProviderError(refused)).toBe(
      "Provider unreachable at https://api.example.com/v1/chat/completions (connection refused) — check the provider's base URL and that the server is running.",
    );
  });

  it("says model not found for a 404 with Ollama's body", () => {
    const message = describeProviderError(
      apiError(404, { body: { error: "model 'no-such-model' not found" } }),
    );
    expect(message).toContain("model not found");
    expect(message).toContain(`Provider said: "model 'no-such-model' not found"`);
  });

  it("tells an exhausted quota from a rate limit", () => {
    const quota = {
      error: {
        message: "You exceeded your current quota, please check your plan and billing details.",
        type: "insufficient_quota",
        code: "insufficient_quota",
      },
    };
    expect(describeProviderError(apiError(429, { body: quota }))).toContain("quota exhausted");
    expect(describeProviderError(apiError(429, { headers: { "retry-after": "2" } }))).toContain(
      "rate limited",
    );
    expect(describeProviderError(apiError(429, { headers: { "retry-after": "2" } }))).toContain(
      "Retry after 2 s.",
    );
  });

  it("keeps long provider messages short", () => {
    const message = describeProviderError(apiError(400, { body: { error: { message: "x".repeat(2000) } } }));
    expect(message.length).toBeLessThan(400);
  });
});
