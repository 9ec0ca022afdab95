import { LOCAL_WORKSPACE_ID, newHostedId, type WorkspaceMembership, WorkspaceRole } from "@agentos/core";
import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../client";
import { nowIso } from "../resource-repository";
import { authInvitations, authMembers, authOrganizations, authUsers, workspaces } from "../schema";

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "workspace";

/** Accounts and memberships as the API needs them (Better Auth writes them; this reads). */
export function createTenancyRepository(db: Database) {
  const repo = {
    async userCount(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(authUsers);
      return Number(row?.n ?? 0);
    },

    async userById(id: string) {
      const [row] = await db.select().from(authUsers).where(eq(authUsers.id, id));
      return row;
    },

    async userByEmail(email: string) {
      const [row] = await db
        .select()
        .from(authUsers)
        .where(eq(sql`lower(${authUsers.email})`, email.trim().toLowerCase()));
      return row;
    },

    async hasPendingInvitation(email: string): Promise<boolean> {
      const [row] = await db
        .select({ id: authInvitations.id })
        .from(authInvitations)
        .where(
          and(
            eq(sql`lower(${authInvitations.email})`, email.trim().toLowerCase()),
            eq(authInvitations.status, "pending"),
            gt(authInvitations.expiresAt, new Date()),
          ),
        )
        .limit(1);
      return row !== undefined;
    },

    /** The workspaces a user belongs to, with the role in each, oldest membership first. */
    async memberships(userId: string): Promise<WorkspaceMembership[]> {
      const rows = await db
        .select({
          id: authOrganizations.id,
          name: authOrganizations.name,
          slug: authOrganizations.slug,
          role: authMembers.role,
        })
        .from(authMembers)
        .innerJoin(authOrganizations, eq(authOrganizations.id, authMembers.organizationId))
        .where(eq(authMembers.userId, userId))
        .orderBy(asc(authMembers.createdAt));
      return rows.map((r) => {
        const role = WorkspaceRole.safeParse(r.role);
        return { ...r, role: role.success ? role.data : "viewer" };
      });
    },

    /** The user's role in one workspace, or null when not a member. */
    async roleIn(userId: string, workspaceId: string): Promise<WorkspaceRole | null> {
      const [row] = await db
        .select({ role: authMembers.role })
        .from(authMembers)
        .where(and(eq(authMembers.userId, userId), eq(authMembers.organizationId, workspaceId)));
      if (!row) return null;
      const role = WorkspaceRole.safeParse(row.role);
      return role.success ? role.data : "viewer";
    },

    /** Keeps Studio's `workspaces` row in step with Better Auth's organization of the same id. */
    async mirrorWorkspace(org: { id: string; name: string; slug: string }): Promise<void> {
      const now = nowIso();
      await db
        .insert(workspaces)
        .values({ id: org.id, name: org.name, slug: org.slug, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: workspaces.id,
          set: { name: org.name, slug: org.slug, updatedAt: now },
        });
    },

    /**
     * Gives a new account its own workspace as owner. The very first workspace is the local
     * one, so data made in local mode stays with the first admin when a Studio goes hosted.
     */
    async createOwnWorkspace(user: { id: string; name: string; email: string }): Promise<string> {
      const [existing] = await db.select({ n: count() }).from(authOrganizations);
      const isFirst = Number(existing?.n ?? 0) === 0;
      const id = isFirst ? LOCAL_WORKSPACE_ID : newHostedId("workspace");
      const name = isFirst ? "Local" : `${user.name || user.email.split("@")[0]}'s workspace`;
      const slug = isFirst ? "local" : `${slugOf(name)}-${id.slice(-6)}`;
      const now = new Date();
      await db.batch([
        db.insert(authOrganizations).values({ id, name, slug, createdAt: now }),
        db.insert(authMembers).values({
          id: newHostedId("member"),
          organizationId: id,
          userId: user.id,
          role: "owner",
          createdAt: now,
        }),
      ]);
      await repo.mirrorWorkspace({ id, name, slug });
      return id;
    },
  };
  return repo;
}
export type TenancyRepository = ReturnType<typeof createTenancyRepository>;
