import type { Database } from "../client";

// One token bucket per API token in rate_limit_buckets (key `api:<token id>`), refilled lazily,
// taken with one conditional UPDATE so that every process on the database shares the limit.
const TAKE_SQL = `UPDATE rate_limit_buckets
  SET tokens = min(?1, tokens + max(0, ?2 - updated_at_ms) * ?3) - 1, updated_at_ms = ?2
  WHERE key = ?4 AND min(?1, tokens + max(0, ?2 - updated_at_ms) * ?3) >= 1`;
const READ_SQL = `SELECT min(?1, tokens + max(0, ?2 - updated_at_ms) * ?3) FROM rate_limit_buckets WHERE key = ?4`;
const CREATE_SQL = `INSERT OR IGNORE INTO rate_limit_buckets (key, workspace_id, tokens, updated_at_ms)
  VALUES (?1, ?2, ?3 - 1, ?4)`;

export type RequestLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Takes one request from the caller's bucket of `perMinute` requests (a burst of as many). */
export function createRequestLimiter(db: Database, perMinute: number, now: () => number = Date.now) {
  const rate = perMinute / 60_000;
  return {
    async take(subject: string, workspaceId: string): Promise<RequestLimitResult> {
      const key = `api:${subject}`;
      const at = now();
      const taken = await db.$client.execute({ sql: TAKE_SQL, args: [perMinute, at, rate, key] });
      if (taken.rowsAffected > 0) return { allowed: true };
      const read = await db.$client.execute({ sql: READ_SQL, args: [perMinute, at, rate, key] });
      if (read.rows.length === 0) {
        const created = await db.$client.execute({
          sql: CREATE_SQL,
          args: [key, workspaceId, perMinute, at],
        });
        if (created.rowsAffected > 0) return { allowed: true };
        return this.take(subject, workspaceId);
      }
      const tokens = Number(read.rows[0]?.[0] ?? 0);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / rate / 1000)) };
    },
  };
}
