import { z } from "zod";
import { Id } from "../ids";
import { Timestamp } from "./common";
import { WorkspaceRole } from "./tenancy";

/** A person in a hosted workspace, as `GET /api/members` lists them. */
export const Member = z.object({
  id: Id.describe("The membership id (mem_…), used to change the role or remove the member"),
  userId: Id,
  name: z.string(),
  email: z.email(),
  role: WorkspaceRole,
  joinedAt: Timestamp,
});
export type Member = z.infer<typeof Member>;

export const MemberUpdate = z.object({
  role: WorkspaceRole.describe("Only an owner may make someone an owner or change an owner's role"),
});
export type MemberUpdate = z.infer<typeof MemberUpdate>;

export const InvitationCreate = z.object({
  email: z.email().max(254).describe("Who may accept: the account that accepts must have this email"),
  role: WorkspaceRole.default("member").describe("Only an owner may invite an owner"),
});
export type InvitationCreate = z.input<typeof InvitationCreate>;

/** A pending invitation; Studio sends no email, so the inviter shares `acceptUrl`. */
export const Invitation = z.object({
  id: Id,
  email: z.email(),
  role: WorkspaceRole,
  expiresAt: Timestamp,
  createdAt: Timestamp,
  inviter: z
    .object({ id: Id, name: z.string(), email: z.email() })
    .nullable()
    .describe("Who invited; null when that account no longer exists"),
  acceptUrl: z
    .url()
    .describe("The page the invitee opens, signs in or up with the invited email, and accepts on"),
});
export type Invitation = z.infer<typeof Invitation>;
