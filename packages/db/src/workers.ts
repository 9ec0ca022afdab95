import type { Worker } from "@agentos/core";
import { eq } from "drizzle-orm";
import type { Database } from "./client";
import { nowIso } from "./resource-repository";
import { workers } from "./schema";

/** The worker hosts table: registration, heartbeats, and marking a host gone. */
export function createWorkerRepository(db: Database) {
  return {
    async register(worker: Omit<Worker, "status" | "lastHeartbeatAt" | "startedAt">): Promise<Worker> {
      const now = nowIso();
      const row: Worker = { ...worker, status: "online", lastHeartbeatAt: now, startedAt: now };
      await db.insert(workers).values(row).onConflictDoUpdate({ target: workers.id, set: row });
      return row;
    },
    async heartbeat(id: string): Promise<void> {
      await db.update(workers).set({ lastHeartbeatAt: nowIso() }).where(eq(workers.id, id));
    },
    async setStatus(id: string, status: Worker["status"]): Promise<void> {
      await db.update(workers).set({ status, lastHeartbeatAt: nowIso() }).where(eq(workers.id, id));
    },
    async list(): Promise<Worker[]> {
      return (await db.select().from(workers)) as Worker[];
    },
  };
}
