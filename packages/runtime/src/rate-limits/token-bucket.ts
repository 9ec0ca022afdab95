import { Unavailable } from "@agentos/core";
import type { Database, Repositories } from "@agentos/db";
import { abortableSleep } from "../models/retry";
import type { RateLimiter } from "../models/types";

/** A rate limiter that can also settle the difference between estimated and actual tokens. */
export interface TokenBucketRateLimiter extends RateLimiter {
  /**
   * Settles a finished call: debits the tokens it used beyond its estimate (the buckets may go
   * below zero, so later calls wait), or refunds an overestimate.
   */
  recordTokens(usage: {
    workspaceId: string;
    providerId: string;
    model: string;
    estimatedTokens: number;
    actualTokens: number;
  }): Promise<void>;
}

export interface RateLimiterOptions {
  db: Database;
  repos: Repositories;
  /** Longest total wait of one `acquire`; a longer one throws Unavailable. Default 30 s. */
  maxWaitMs?: number;
  /** Milliseconds since the epoch; every process on the database must agree roughly (NTP). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface LimitRow {
  id: string;
  model: string | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
}

/** One bucket of one limit: `capacity` tokens, refilled at `capacity` per minute. */
interface Bucket {
  key: string;
  limit: LimitRow;
  dimension: "requests" | "tokens";
  capacity: number;
  cost: number;
}

const MINUTE_MS = 60_000;
const ratePerMs = (bucket: { capacity: number }) => bucket.capacity / MINUTE_MS;

// Both statements refill lazily from updated_at_ms; max(0, …) and max(updated_at_ms, now) keep a
// process whose clock lags another's from counting the same interval twice.
const TAKE_SQL = `UPDATE rate_limit_buckets
  SET tokens = min(?1, tokens + max(0, ?2 - updated_at_ms) * ?3) - ?4,
      updated_at_ms = max(updated_at_ms, ?2)
  WHERE key = ?5 AND min(?1, tokens + max(0, ?2 - updated_at_ms) * ?3) >= ?4
  RETURNING tokens`;
const SETTLE_SQL = `UPDATE rate_limit_buckets
  SET tokens = min(?1, min(?1, tokens + max(0, ?2 - updated_at_ms) * ?3) - ?4),
      updated_at_ms = max(updated_at_ms, ?2)
  WHERE key = ?5`;
const CREATE_SQL = `INSERT OR IGNORE INTO rate_limit_buckets (key, workspace_id, tokens, updated_at_ms)
  VALUES (?1, ?2, ?3, ?4)`;
const LEVEL_SQL = `SELECT min(?1, tokens + max(0, ?2 - updated_at_ms) * ?3) AS level
  FROM rate_limit_buckets WHERE key = ?4`;

const seconds = (ms: number) => `${Math.ceil(ms / 100) / 10} s`;

/**
 * Rate limits per provider and model, enforced across processes through token buckets in libSQL.
 * Each matching limit (the provider-wide one and the model's own) has a `requests` bucket and a
 * `tokens` bucket. Every take is one atomic UPDATE, never an interactive transaction: libSQL file
 * calls are synchronous, and a transaction held across an await would block this process's writers.
 */
export function createRateLimiter(options: RateLimiterOptions): TokenBucketRateLimiter {
  const { db, repos } = options;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;

  async function limitsFor(workspaceId: string, providerId: string, model: string): Promise<LimitRow[]> {
    const result = await db.$client.execute({
      sql: `SELECT id, model, requests_per_minute, tokens_per_minute FROM rate_limits
        WHERE workspace_id = ?1 AND provider_id = ?2 AND (model IS NULL OR model = ?3)`,
      args: [workspaceId, providerId, model],
    });
    return result.rows.map((row) => ({
      id: String(row.id),
      model: row.model === null ? null : String(row.model),
      requestsPerMinute: row.requests_per_minute === null ? null : Number(row.requests_per_minute),
      tokensPerMinute: row.tokens_per_minute === null ? null : Number(row.tokens_per_minute),
    }));
  }

  function bucketsOf(limits: LimitRow[], estimatedTokens: number): Bucket[] {
    const buckets: Bucket[] = [];
    for (const limit of limits) {
      if (limit.requestsPerMinute !== null) {
        const capacity = limit.requestsPerMinute;
        buckets.push({ key: `${limit.id}:requests`, limit, dimension: "requests", capacity, cost: 1 });
      }
      if (limit.tokensPerMinute !== null) {
        const capacity = limit.tokensPerMinute;
        // A call estimated above a whole minute's budget waits for a full bucket instead of forever;
        // a cost of 0 still waits while the bucket is in debt from calls that used more than estimated.
        const cost = Math.min(capacity, Math.max(0, Math.ceil(estimatedTokens)));
        buckets.push({ key: `${limit.id}:tokens`, limit, dimension: "tokens", capacity, cost });
      }
    }
    return buckets;
  }

  /** Takes `cost` from the bucket if it holds that much; otherwise returns how long until it will. */
  async function take(workspaceId: string, bucket: Bucket): Promise<{ taken: true } | { waitMs: number }> {
    const rate = ratePerMs(bucket);
    for (let created = false; ; created = true) {
      const at = now();
      const taken = await db.$client.execute({
        sql: TAKE_SQL,
        args: [bucket.capacity, at, rate, bucket.cost, bucket.key],
      });
      if (taken.rows.length > 0) return { taken: true };
      const level = await db.$client.execute({
        sql: LEVEL_SQL,
        args: [bucket.capacity, at, rate, bucket.key],
      });
      const row = level.rows[0];
      if (row) return { waitMs: Math.max(1, Math.ceil((bucket.cost - Number(row.level)) / rate)) };
      if (created) throw new Error(`Rate limit bucket ${bucket.key} vanished while in use.`);
      // First use: the bucket starts full. OR IGNORE lets concurrent first users race harmlessly.
      await db.$client.execute({ sql: CREATE_SQL, args: [bucket.key, workspaceId, bucket.capacity, at] });
    }
  }

  async function giveBack(bucket: Bucket, amount: number): Promise<void> {
    await db.$client.execute({
      sql: SETTLE_SQL,
      args: [bucket.capacity, now(), ratePerMs(bucket), -amount, bucket.key],
    });
  }

  async function describeLimit(workspaceId: string, providerId: string, bucket: Bucket): Promise<string> {
    const provider = await repos.llmProviders.findRow(workspaceId, providerId);
    const name = provider ? `"${provider.name}"` : providerId;
    const scope = bucket.limit.model === null ? "all its models" : `model ${bucket.limit.model}`;
    const unit = bucket.capacity === 1 ? bucket.dimension.slice(0, -1) : bucket.dimension;
    const setting = `${bucket.capacity} ${unit} per minute`;
    return `The rate limit of provider ${name} for ${scope} (${setting})`;
  }

  return {
    async acquire(request, signal) {
      const limits = await limitsFor(request.workspaceId, request.providerId, request.model);
      if (limits.length === 0) return;
      const buckets = bucketsOf(limits, request.estimatedTokens);
      const deadline = now() + maxWaitMs;
      for (;;) {
        signal?.throwIfAborted();
        const taken: Bucket[] = [];
        let short: { bucket: Bucket; waitMs: number } | undefined;
        for (const bucket of buckets) {
          const outcome = await take(request.workspaceId, bucket);
          if ("taken" in outcome) {
            taken.push(bucket);
            continue;
          }
          short = { bucket, waitMs: outcome.waitMs };
          break;
        }
        if (!short) return;
        // All or nothing: return what this attempt took, so a waiting call holds no capacity.
        for (const bucket of taken) await giveBack(bucket, bucket.cost);
        if (now() + short.waitMs > deadline) {
          const limit = await describeLimit(request.workspaceId, request.providerId, short.bucket);
          const needs =
            short.bucket.dimension === "tokens"
              ? `this call's ${short.bucket.cost} estimated tokens fit`
              : "the next request fits";
          throw new Unavailable(
            `${limit} is exhausted: ${needs} in ${seconds(short.waitMs)}, longer than the ${seconds(maxWaitMs)} a call may wait. Raise the limit or try again later.`,
          );
        }
        await sleep(short.waitMs, signal);
      }
    },

    async recordTokens(usage) {
      const difference = Math.ceil(usage.actualTokens) - Math.ceil(usage.estimatedTokens);
      if (difference === 0) return;
      const limits = await limitsFor(usage.workspaceId, usage.providerId, usage.model);
      for (const bucket of bucketsOf(limits, 0)) {
        if (bucket.dimension !== "tokens") continue;
        await db.$client.execute({
          sql: SETTLE_SQL,
          args: [bucket.capacity, now(), ratePerMs(bucket), difference, bucket.key],
        });
      }
    },
  };
}
