import { z } from "zod";
import { Id } from "../ids";
import type { TokenScope } from "./api-token";
import { Name, Timestamp } from "./common";

/** What a member may do in a workspace; owners and admins also manage members, tokens and settings. */
export const WorkspaceRole = z.enum(["owner", "admin", "member", "viewer"]);
export type WorkspaceRole = z.infer<typeof WorkspaceRole>;

/** The token scopes each role holds: a session acts with these, a token with the intersection. */
export const ROLE_SCOPES: Record<WorkspaceRole, readonly TokenScope[]> = {
  owner: ["read", "write", "run", "admin"],
  admin: ["read", "write", "run", "admin"],
  member: ["read", "write", "run"],
  viewer: ["read"],
};

/** Scopes a role allows; unknown roles (a future role on an older Studio) get none but read. */
export function scopesOfRole(role: string): TokenScope[] {
  const parsed = WorkspaceRole.safeParse(role);
  return parsed.success ? [...ROLE_SCOPES[parsed.data]] : ["read"];
}

export const WorkspaceMembership = z.object({
  id: Id.describe("The workspace id"),
  name: Name,
  slug: z.string(),
  role: WorkspaceRole,
});
export type WorkspaceMembership = z.infer<typeof WorkspaceMembership>;

/** Who the caller is, as `GET /api/me` answers. */
export const Me = z.object({
  mode: z.enum(["local", "hosted"]),
  kind: z.enum(["local", "token", "user", "oauth"]),
  user: z.object({ id: Id, email: z.email(), name: z.string() }).nullable(),
  workspaceId: Id,
  role: WorkspaceRole.nullable(),
  scopes: z.array(z.enum(["read", "write", "run", "admin"])),
  tokenId: Id.nullable(),
  workspaces: z.array(WorkspaceMembership),
});
export type Me = z.infer<typeof Me>;

export const WorkspaceMember = z.object({
  id: Id,
  userId: Id,
  email: z.email(),
  name: z.string(),
  role: WorkspaceRole,
  createdAt: Timestamp,
});
export type WorkspaceMember = z.infer<typeof WorkspaceMember>;
