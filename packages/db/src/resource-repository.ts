import { Conflict, type IdKind, Invalid, NotFound, newId } from "@agentos/core";
import { and, asc, desc, eq, gt, lt, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";

/** A table every workspace-owned resource has: an id, a workspace and a creation time. */
export type ResourceTable = SQLiteTable & {
  id: SQLiteColumn;
  workspaceId: SQLiteColumn;
  createdAt: SQLiteColumn;
};

export interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  /** A sortable field, `-` in front for descending; default `-createdAt`. */
  sort?: string | undefined;
  /** Equality filters by field name; only the resource's declared filters are accepted. */
  filters?: Record<string, string | undefined>;
  /** Case-insensitive substring of the name. */
  q?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ResourceSpec<Row, Entity> {
  /** Domain name for errors, e.g. "agent". */
  entity: string;
  idKind: IdKind;
  table: ResourceTable;
  toEntity(row: Row): Entity;
  /** Fields that `sort` may name, by API field name. `createdAt` is always sortable. */
  sortable?: Record<string, SQLiteColumn>;
  /** Filters that `filters` may name, by API field name. */
  filters?: Record<string, (value: string) => SQL>;
  /** Column searched by `q`. */
  searchColumn?: SQLiteColumn;
  /** Message for a unique-constraint violation, naming what collided and what to do. */
  describeConflict?(values: Partial<Row>): string;
}

interface CursorState {
  v: string | number | null;
  id: string;
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

function decodeCursor(cursor: string): CursorState {
  try {
    const state = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as CursorState;
    if (typeof state.id !== "string") throw new Error("no id");
    return state;
  } catch {
    throw Invalid.field("query.cursor", "is not a cursor this API returned; start again without it");
  }
}

export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const { code, message } = e as { code?: string; message?: string };
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
    if (typeof message === "string" && message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}

export const nowIso = (): string => new Date().toISOString();

/** CRUD with keyset pagination for one workspace-owned table; every call is scoped by workspace. */
export class ResourceRepository<Row extends Record<string, unknown>, Entity> {
  constructor(
    protected readonly db: Database,
    readonly spec: ResourceSpec<Row, Entity>,
  ) {}

  protected get table(): ResourceTable {
    return this.spec.table;
  }

  async findRow(workspaceId: string, id: string): Promise<Row | undefined> {
    const rows = await this.db
      .select()
      .from(this.table)
      .where(and(eq(this.table.workspaceId, workspaceId), eq(this.table.id, id)))
      .limit(1);
    return rows[0] as Row | undefined;
  }

  async getRow(workspaceId: string, id: string): Promise<Row> {
    const row = await this.findRow(workspaceId, id);
    if (!row) throw new NotFound(this.spec.entity, id);
    return row;
  }

  async get(workspaceId: string, id: string): Promise<Entity> {
    return this.spec.toEntity(await this.getRow(workspaceId, id));
  }

  async exists(workspaceId: string, id: string): Promise<boolean> {
    return (await this.findRow(workspaceId, id)) !== undefined;
  }

  async list(workspaceId: string, query: ListQuery): Promise<Page<Entity>> {
    const { sortColumn, descending, sortField } = this.resolveSort(query.sort);
    const conditions: SQL[] = [eq(this.table.workspaceId, workspaceId)];
    for (const [name, value] of Object.entries(query.filters ?? {})) {
      if (value === undefined) continue;
      const filter = this.spec.filters?.[name];
      if (!filter) throw Invalid.field(`query.${name}`, `is not a filter of ${this.spec.entity} lists`);
      conditions.push(filter(value));
    }
    if (query.q && this.spec.searchColumn) {
      conditions.push(sql`instr(lower(${this.spec.searchColumn}), ${query.q.toLowerCase()}) > 0`);
    }
    if (query.cursor) {
      const { v, id } = decodeCursor(query.cursor);
      const past = descending ? lt : gt;
      const after = or(past(sortColumn, v), and(eq(sortColumn, v), past(this.table.id, id)));
      if (after) conditions.push(after);
    }
    const order = descending ? desc : asc;
    const rows = (await this.db
      .select()
      .from(this.table)
      .where(and(...conditions))
      .orderBy(order(sortColumn), order(this.table.id))
      .limit(query.limit + 1)) as Row[];
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor({ v: last[sortField] as string | number | null, id: last.id as string })
        : null;
    return { items: items.map((r) => this.spec.toEntity(r)), nextCursor };
  }

  private resolveSort(sort = "-createdAt") {
    const descending = sort.startsWith("-");
    const sortField = descending ? sort.slice(1) : sort;
    const sortColumn = sortField === "createdAt" ? this.table.createdAt : this.spec.sortable?.[sortField];
    if (!sortColumn) {
      const allowed = ["createdAt", ...Object.keys(this.spec.sortable ?? {})].join(", ");
      throw Invalid.field(
        "query.sort",
        `cannot sort by "${sortField}"; use one of ${allowed}, with - for descending`,
      );
    }
    return { sortColumn, descending, sortField };
  }

  /** Inserts a new row; `values` holds every column but the id, workspace and timestamps. */
  async insert(
    workspaceId: string,
    values: Omit<Row, "id" | "workspaceId" | "createdAt" | "updatedAt">,
  ): Promise<Entity> {
    const now = nowIso();
    const row = { ...values, id: newId(this.spec.idKind), workspaceId, createdAt: now } as Record<
      string,
      unknown
    >;
    if ("updatedAt" in this.table) row.updatedAt = now;
    try {
      await this.db.insert(this.table).values(row);
    } catch (error) {
      throw this.mapWriteError(error, row as Partial<Row>);
    }
    return this.spec.toEntity(row as Row);
  }

  /** Applies a partial update to an existing row and returns the new entity. */
  async update(workspaceId: string, id: string, changes: Partial<Row>): Promise<Entity> {
    const current = await this.getRow(workspaceId, id);
    const patch = { ...changes } as Record<string, unknown>;
    if ("updatedAt" in this.table) patch.updatedAt = nowIso();
    if (Object.keys(patch).length > 0) {
      try {
        await this.db
          .update(this.table)
          .set(patch)
          .where(and(eq(this.table.workspaceId, workspaceId), eq(this.table.id, id)));
      } catch (error) {
        throw this.mapWriteError(error, { ...current, ...changes });
      }
    }
    return this.spec.toEntity({ ...current, ...patch } as Row);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    const result = await this.db
      .delete(this.table)
      .where(and(eq(this.table.workspaceId, workspaceId), eq(this.table.id, id)));
    if (result.rowsAffected === 0) throw new NotFound(this.spec.entity, id);
  }

  private mapWriteError(error: unknown, values: Partial<Row>): unknown {
    if (!isUniqueViolation(error)) return error;
    const message = this.spec.describeConflict?.(values) ?? `This ${this.spec.entity} already exists.`;
    return new Conflict(message, { cause: error });
  }
}
