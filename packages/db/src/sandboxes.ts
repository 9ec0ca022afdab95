import {
  Conflict,
  newId,
  type Sandbox,
  type SandboxPolicy,
  type SandboxState,
  type SiteBinding,
  Unavailable,
} from "@agentos/core";
import { and, asc, eq, inArray, isNotNull, lt, ne, notInArray, sql } from "drizzle-orm";
import type { Database } from "./client";
import { isUniqueViolation, nowIso } from "./resource-repository";
import { sandboxes, siteBindings } from "./schema";

/** States whose sandbox should have a container on its worker's Docker host. */
export const LIVE_SANDBOX_STATES = ["creating", "running", "stopped"] as const satisfies SandboxState[];

export type SandboxRow = typeof sandboxes.$inferSelect;

const toSandbox = ({ envSecret: _sealed, ...row }: SandboxRow): Sandbox => row as Sandbox;

/**
 * What worker hosts need beyond CRUD: sandboxes by worker and container, site bindings by host
 * (across workspaces — a host name is global), and host-port allocation that is safe under
 * concurrent requests (the UNIQUE host_port column decides; the loser retries).
 */
export function createSandboxStore(db: Database) {
  async function usedHostPorts(range: { start: number; end: number }): Promise<Set<number>> {
    const rows = await db
      .select({ hostPort: siteBindings.hostPort })
      .from(siteBindings)
      .where(sql`${siteBindings.hostPort} between ${range.start} and ${range.end}`);
    return new Set(rows.map((r) => r.hostPort));
  }

  return {
    toSandbox,

    async insert(
      workspaceId: string,
      values: {
        agentId: string | null;
        runId: string | null;
        policy: SandboxPolicy;
        envSecret: string | null;
        workerId: string;
      },
    ): Promise<SandboxRow> {
      const now = nowIso();
      const row: SandboxRow = {
        id: newId("sandbox"),
        workspaceId,
        ...values,
        state: "creating",
        stateReason: null,
        containerId: null,
        lastUsedAt: now,
        createdAt: now,
        updatedAt: now,
      };
      await db.insert(sandboxes).values(row);
      return row;
    },

    async find(workspaceId: string, id: string): Promise<SandboxRow | undefined> {
      const [row] = await db
        .select()
        .from(sandboxes)
        .where(and(eq(sandboxes.workspaceId, workspaceId), eq(sandboxes.id, id)));
      return row;
    },

    /** Changes a sandbox's state (and container) by id; the id is already workspace-checked. */
    async update(
      id: string,
      changes: Partial<Pick<SandboxRow, "state" | "stateReason" | "containerId" | "workerId" | "policy">>,
    ): Promise<void> {
      await db
        .update(sandboxes)
        .set({ ...changes, updatedAt: nowIso() })
        .where(eq(sandboxes.id, id));
    },

    async touch(id: string): Promise<void> {
      await db.update(sandboxes).set({ lastUsedAt: nowIso() }).where(eq(sandboxes.id, id));
    },

    /** The newest live sandbox of an agent, if any. */
    async findForAgent(workspaceId: string, agentId: string): Promise<SandboxRow | undefined> {
      const [row] = await db
        .select()
        .from(sandboxes)
        .where(
          and(
            eq(sandboxes.workspaceId, workspaceId),
            eq(sandboxes.agentId, agentId),
            inArray(sandboxes.state, [...LIVE_SANDBOX_STATES, "missing"]),
          ),
        )
        .orderBy(sql`${sandboxes.createdAt} desc`)
        .limit(1);
      return row;
    },

    /** Sandboxes that should have a container (any workspace), for reconciliation. */
    async listLive(): Promise<SandboxRow[]> {
      return db
        .select()
        .from(sandboxes)
        .where(inArray(sandboxes.state, [...LIVE_SANDBOX_STATES]));
    },

    async listByContainerIds(containerIds: string[]): Promise<SandboxRow[]> {
      if (containerIds.length === 0) return [];
      return db.select().from(sandboxes).where(inArray(sandboxes.containerId, containerIds));
    },

    /** Running sandboxes of a worker unused since `before`, without site bindings (they serve traffic). */
    async listIdle(workerId: string, before: string): Promise<SandboxRow[]> {
      const bound = db.select({ id: siteBindings.sandboxId }).from(siteBindings);
      return db
        .select()
        .from(sandboxes)
        .where(
          and(
            eq(sandboxes.workerId, workerId),
            eq(sandboxes.state, "running"),
            isNotNull(sandboxes.lastUsedAt),
            lt(sandboxes.lastUsedAt, before),
            notInArray(sandboxes.id, bound),
          ),
        );
    },

    /** Live sandboxes per worker, to place a new sandbox on the least loaded one. */
    async countLiveByWorker(): Promise<Map<string, number>> {
      const rows = await db
        .select({ workerId: sandboxes.workerId, count: sql<number>`count(*)` })
        .from(sandboxes)
        .where(and(inArray(sandboxes.state, [...LIVE_SANDBOX_STATES]), isNotNull(sandboxes.workerId)))
        .groupBy(sandboxes.workerId);
      return new Map(rows.map((r) => [r.workerId ?? "", Number(r.count)]));
    },

    async bindingsOf(sandboxId: string): Promise<SiteBinding[]> {
      return (await db
        .select()
        .from(siteBindings)
        .where(eq(siteBindings.sandboxId, sandboxId))
        .orderBy(asc(siteBindings.createdAt), asc(siteBindings.id))) as SiteBinding[];
    },

    async listBindings(workspaceId: string): Promise<SiteBinding[]> {
      return (await db
        .select()
        .from(siteBindings)
        .where(eq(siteBindings.workspaceId, workspaceId))
        .orderBy(asc(siteBindings.host))) as SiteBinding[];
    },

    async findBinding(workspaceId: string, id: string): Promise<SiteBinding | undefined> {
      const [row] = await db
        .select()
        .from(siteBindings)
        .where(and(eq(siteBindings.workspaceId, workspaceId), eq(siteBindings.id, id)));
      return row as SiteBinding | undefined;
    },

    /** The binding of a host name in any workspace: the domain proxy and the TLS check use it. */
    async bindingForHost(host: string): Promise<SiteBinding | undefined> {
      const [row] = await db.select().from(siteBindings).where(eq(siteBindings.host, host));
      return row as SiteBinding | undefined;
    },

    /**
     * Binds `host` to a sandbox port on a free host port of [start, end]. Concurrent callers race
     * on the UNIQUE host_port column: the loser picks another port and retries. `isHostPortFree`
     * lets the caller skip ports that something outside the database holds.
     */
    async insertBinding(
      workspaceId: string,
      values: { sandboxId: string; host: string; containerPort: number },
      range: { start: number; end: number },
      isHostPortFree: (port: number) => Promise<boolean> = async () => true,
    ): Promise<SiteBinding> {
      const skipped = new Set<number>();
      for (;;) {
        const used = await usedHostPorts(range);
        const free: number[] = [];
        for (let port = range.start; port <= range.end; port++) {
          if (!used.has(port) && !skipped.has(port)) free.push(port);
        }
        if (free.length === 0) {
          throw new Unavailable(
            `Sandbox port range ${range.start}–${range.end} is exhausted: ${used.size} bindings exist` +
              `${skipped.size > 0 ? ` and ${skipped.size} ports are held by other processes` : ""}. ` +
              "Raise SANDBOX_PORT_END or delete a binding.",
          );
        }
        // A random free port, so that concurrent requests rarely pick the same one.
        const hostPort = free[Math.floor(Math.random() * free.length)] as number;
        if (!(await isHostPortFree(hostPort))) {
          skipped.add(hostPort);
          continue;
        }
        const binding: SiteBinding = {
          id: newId("siteBinding"),
          workspaceId,
          ...values,
          hostPort,
          createdAt: nowIso(),
        };
        try {
          await db.insert(siteBindings).values(binding);
          return binding;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          if (/site_bindings\.host_port/.test(messagesOf(error))) continue;
          throw new Conflict(
            `Host ${values.host} is already bound to a sandbox; delete that binding first or choose another host.`,
            { cause: error },
          );
        }
      }
    },

    async deleteBinding(workspaceId: string, id: string): Promise<boolean> {
      const result = await db
        .delete(siteBindings)
        .where(and(eq(siteBindings.workspaceId, workspaceId), eq(siteBindings.id, id)));
      return result.rowsAffected > 0;
    },

    async deleteBindingsOf(sandboxId: string): Promise<void> {
      await db.delete(siteBindings).where(eq(siteBindings.sandboxId, sandboxId));
    },

    /** Marks sandboxes whose container vanished as missing (a removed sandbox stays removed). */
    async markMissing(ids: string[], reason: string): Promise<void> {
      if (ids.length === 0) return;
      await db
        .update(sandboxes)
        .set({ state: "missing", stateReason: reason, containerId: null, updatedAt: nowIso() })
        .where(and(inArray(sandboxes.id, ids), ne(sandboxes.state, "removed")));
    },
  };
}

export type SandboxStore = ReturnType<typeof createSandboxStore>;

function messagesOf(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string") parts.push(message);
  }
  return parts.join(" ");
}
