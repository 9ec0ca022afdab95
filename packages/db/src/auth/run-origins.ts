import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { nowIso } from "../resource-repository";
import { runOrigins } from "../schema";

export interface RunOrigin {
  runId: string;
  workspaceId: string;
  tokenId: string | null;
  userId: string | null;
}

/** Who started each run: the token or user of the request that created it. */
export function createRunOriginRepository(db: Database) {
  return {
    async record(origin: RunOrigin): Promise<void> {
      await db
        .insert(runOrigins)
        .values({ ...origin, createdAt: nowIso() })
        .onConflictDoNothing();
    },
    async get(runId: string): Promise<RunOrigin | undefined> {
      const [row] = await db.select().from(runOrigins).where(eq(runOrigins.runId, runId));
      return row;
    },
  };
}
