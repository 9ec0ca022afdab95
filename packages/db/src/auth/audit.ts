import { type AuditActorKind, type AuditEvent, Invalid, type JsonValue, newHostedId } from "@agentos/core";
import { and, desc, eq, gte, lt, or, type SQL } from "drizzle-orm";
import type { Database } from "../client";
import { nowIso } from "../resource-repository";
import { auditEvents } from "../schema";

export interface AuditEntry {
  workspaceId: string;
  action: string;
  actorKind: AuditActorKind;
  actorId?: string | null;
  targetKind?: string | null;
  targetId?: string | null;
  status?: number | null;
  ip?: string | null;
  detail?: Record<string, JsonValue>;
}

export interface AuditQuery {
  limit: number;
  cursor?: string | undefined;
  /** An action (`run.cancel`) or a prefix ending in `.` (`token.`). */
  action?: string | undefined;
  actorId?: string | undefined;
  targetId?: string | undefined;
  /** ISO times: from (inclusive), to (exclusive). */
  from?: string | undefined;
  to?: string | undefined;
}

/** The audit log: append-only, newest first, filterable, paged by an opaque cursor. */
export function createAuditRepository(db: Database) {
  return {
    async record(entry: AuditEntry): Promise<void> {
      await db.insert(auditEvents).values({
        id: newHostedId("audit"),
        workspaceId: entry.workspaceId,
        action: entry.action,
        actorKind: entry.actorKind,
        actorId: entry.actorId ?? null,
        targetKind: entry.targetKind ?? null,
        targetId: entry.targetId ?? null,
        status: entry.status ?? null,
        ip: entry.ip ?? null,
        detail: entry.detail ?? {},
        createdAt: nowIso(),
      });
    },
    async list(
      workspaceId: string,
      query: AuditQuery,
    ): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
      const conditions: SQL[] = [eq(auditEvents.workspaceId, workspaceId)];
      if (query.action) {
        conditions.push(
          query.action.endsWith(".")
            ? and(gte(auditEvents.action, query.action), lt(auditEvents.action, `${query.action}\uffff`))!
            : eq(auditEvents.action, query.action),
        );
      }
      if (query.actorId) conditions.push(eq(auditEvents.actorId, query.actorId));
      if (query.targetId) conditions.push(eq(auditEvents.targetId, query.targetId));
      if (query.from) conditions.push(gte(auditEvents.createdAt, query.from));
      if (query.to) conditions.push(lt(auditEvents.createdAt, query.to));
      if (query.cursor) {
        let after: { at: string; id: string };
        try {
          after = JSON.parse(Buffer.from(query.cursor, "base64url").toString("utf8"));
        } catch {
          throw Invalid.field("query.cursor", "is not a cursor this API returned; start again without it");
        }
        conditions.push(
          or(
            lt(auditEvents.createdAt, after.at),
            and(eq(auditEvents.createdAt, after.at), lt(auditEvents.id, after.id)),
          )!,
        );
      }
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(...conditions))
        .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
        .limit(query.limit + 1);
      const items = rows.slice(0, query.limit) as AuditEvent[];
      const last = items.at(-1);
      const nextCursor =
        rows.length > query.limit && last
          ? Buffer.from(JSON.stringify({ at: last.createdAt, id: last.id })).toString("base64url")
          : null;
      return { items, nextCursor };
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
