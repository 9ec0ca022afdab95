import {
  Conflict,
  Forbidden,
  Invalid,
  Invitation,
  InvitationCreate,
  Member,
  MemberUpdate,
  NotFound,
  WorkspaceRole,
} from "@agentos/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { isAPIError } from "better-auth/api";
import type { Context } from "hono";
import type { ApiDeps, ApiEnv, Principal } from "../context";
import { requireJson } from "../middleware";
import { commonErrors, IdParams, json, jsonBody, problem } from "../openapi-schemas";
import { problemJson } from "../problem";
import type { StudioAuth } from "./better-auth";
import { notHostedProblem } from "./mount";

const TAG = "Members";

const notHosted = notHostedProblem(
  "Members and invitations exist in hosted mode only (AGENTOS_MODE=hosted): a local Studio has no accounts, its one workspace belongs to whoever reaches it on loopback.",
);

// Rows of Better Auth's organization plugin, as its adapter returns them.
interface MemberRow {
  id: string;
  organizationId: string;
  userId: string;
  role: string;
  createdAt: Date;
}
interface InvitationRow {
  id: string;
  organizationId: string;
  email: string;
  role: string;
  status: string;
  inviterId: string;
  expiresAt: Date;
  createdAt: Date;
}
interface UserRow {
  id: string;
  name: string;
  email: string;
}

const roleOf = (role: string): WorkspaceRole => {
  const parsed = WorkspaceRole.safeParse(role);
  return parsed.success ? parsed.data : "viewer";
};

/**
 * Members and invitations of the caller's hosted workspace, on Better Auth's organization plugin.
 * Changes go through its server API as the signed-in user, so its rules hold (the last owner
 * stays, only owners make owners, members cannot act on others); reads use its adapter, so that
 * read tokens can list too.
 */
export function registerMemberRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const MemberSchema = Member.meta({ id: "Member" });
  const InvitationSchema = Invitation.meta({ id: "Invitation" });
  const hostedOnly = { 404: problem("Not a hosted Studio: local mode has no accounts") };
  const noSuch = (what: string) => ({
    404: problem(`Not a hosted Studio, or no such ${what} in this workspace`),
  });
  const forbidden = {
    403: problem(
      "The caller lacks the admin scope, is a token (tokens act for no person), or its role may not do this",
    ),
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/members",
      tags: [TAG],
      summary: "List the workspace's members",
      description:
        "Everyone in the caller's workspace with their role, earliest member first. Hosted mode only.",
      responses: {
        200: json(z.object({ items: z.array(MemberSchema) }), "Members"),
        ...hostedOnly,
        ...commonErrors,
      },
    }),
    async (c) => {
      const auth = deps.tenancy?.auth;
      if (!auth) return problemJson(c, notHosted) as never;
      return c.json({ items: await listMembers(auth, c.get("principal").workspaceId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/members/{id}",
      tags: [TAG],
      summary: "Change a member's role",
      description:
        "Needs a signed-in owner or admin. Only an owner makes someone an owner or changes an owner's role; the last owner cannot step down (409): make another member owner first.",
      middleware: [requireJson] as const,
      request: { params: IdParams, body: jsonBody(MemberUpdate.meta({ id: "MemberUpdate" })) },
      responses: {
        200: json(MemberSchema, "The member with the new role"),
        ...forbidden,
        ...noSuch("member"),
        409: problem("The member is the workspace's last owner"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const auth = deps.tenancy?.auth;
      if (!auth) return problemJson(c, notHosted) as never;
      const principal = c.get("principal");
      const { id } = c.req.valid("param");
      const { role } = c.req.valid("json");
      await memberOf(auth, principal.workspaceId, id);
      await asSignedInUser(c, principal, "change roles", (headers) =>
        auth.api.updateMemberRole({
          headers,
          body: { memberId: id, role, organizationId: principal.workspaceId },
        }),
      );
      const updated = (await listMembers(auth, principal.workspaceId)).find((m) => m.id === id);
      if (!updated) throw new NotFound("member", id);
      return c.json(updated, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/members/{id}",
      tags: [TAG],
      summary: "Remove a member",
      description:
        "Needs a signed-in owner or admin; only an owner removes an owner, and the last owner cannot be removed (409). The person keeps their account and their other workspaces.",
      request: { params: IdParams },
      responses: {
        204: { description: "Removed" },
        ...forbidden,
        ...noSuch("member"),
        409: problem("The member is the workspace's last owner"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const auth = deps.tenancy?.auth;
      if (!auth) return problemJson(c, notHosted) as never;
      const principal = c.get("principal");
      const { id } = c.req.valid("param");
      await memberOf(auth, principal.workspaceId, id);
      await asSignedInUser(c, principal, "remove members", (headers) =>
        auth.api.removeMember({
          headers,
          body: { memberIdOrEmail: id, organizationId: principal.workspaceId },
        }),
      );
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/invitations",
      tags: [TAG],
      summary: "List pending invitations",
      description:
        "Invitations not yet accepted, cancelled or expired, newest first, each with the link to share. Needs admin: the link is what lets its holder join.",
      responses: {
        200: json(z.object({ items: z.array(InvitationSchema) }), "Pending invitations"),
        403: problem("The caller lacks the admin scope"),
        ...hostedOnly,
        ...commonErrors,
      },
    }),
    async (c) => {
      const auth = deps.tenancy?.auth;
      if (!auth) return problemJson(c, notHosted) as never;
      const items = await listInvitations(auth, c.get("principal").workspaceId, studioOrigin(c, deps));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/invitations",
      tags: [TAG],
      summary: "Invite someone by email",
      description:
        "Studio sends no email: share `acceptUrl` with the invitee, who signs in or up with this email there and accepts. Needs a signed-in owner or admin; only an owner invites an owner. Expires after 7 days.",
      middleware: [requireJson] as const,
      request: { body: jsonBody(InvitationCreate.meta({ id: "InvitationCreate" })) },
      responses: {
        201: json(InvitationSchema, "The invitation, with the link to share"),
        ...forbidden,
        ...hostedOnly,
        409: problem("The email is already a member, or already invited"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const auth = deps.tenancy?.auth;
      if (!auth) return problemJson(c, notHosted) as never;
      const principal = c.get("principal");
      const { email, role } = c.req.valid("json");
      const created = (await asSignedInUser(c, principal, "invite", (headers) =>
        auth.api.createInvitation({
          headers,
          body: { email, role, organizationId: principal.workspaceId },
        }),
      )) as { id: string };
      const invitation = (await listInvitations(auth, principal.workspaceId, studioOrigin(c, deps))).find(
        (i) => i.id === created.id,
      );
      if (!invitation) throw new NotFound("invitation", created.id);
      return c.json(invitation, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/invitations/{id}",
      tags: [TAG],
      summary: "Cancel an invitation",
      description: "Its link stops working. Needs a signed-in owner or admin.",
      request: { params: IdParams },
      responses: {
        204: { description: "Cancelled" },
        ...forbidden,
        ...noSuch("invitation"),
        409: problem("The invitation was already accepted, rejected or cancelled"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const auth = deps.tenancy?.auth;
      if (!auth) return problemJson(c, notHosted) as never;
      const principal = c.get("principal");
      const { id } = c.req.valid("param");
      const [invitation] = await (await auth.$context).adapter.findMany<InvitationRow>({
        model: "invitation",
        where: [
          { field: "id", value: id },
          { field: "organizationId", value: principal.workspaceId },
        ],
        limit: 1,
      });
      if (!invitation) throw new NotFound("invitation", id);
      if (invitation.status !== "pending") {
        throw new Conflict(
          `Invitation ${id} was already ${invitation.status}; only pending invitations can be cancelled.${invitation.status === "accepted" ? " Remove the member instead." : ""}`,
        );
      }
      await asSignedInUser(c, principal, "cancel invitations", (headers) =>
        auth.api.cancelInvitation({ headers, body: { invitationId: id } }),
      );
      return c.body(null, 204);
    },
  );
}

/** Where invitees open their link: the public URL, else the origin this request came to. */
function studioOrigin(c: Context<ApiEnv>, deps: ApiDeps): string {
  return deps.tenancy?.publicUrl ?? new URL(c.req.url).origin;
}

async function usersById(auth: StudioAuth, ids: string[]): Promise<Map<string, UserRow>> {
  if (ids.length === 0) return new Map();
  const users = await (await auth.$context).adapter.findMany<UserRow>({
    model: "user",
    where: [{ field: "id", value: [...new Set(ids)], operator: "in" }],
  });
  return new Map(users.map((u) => [u.id, u]));
}

async function listMembers(auth: StudioAuth, workspaceId: string): Promise<Member[]> {
  const rows = await (await auth.$context).adapter.findMany<MemberRow>({
    model: "member",
    where: [{ field: "organizationId", value: workspaceId }],
    sortBy: { field: "createdAt", direction: "asc" },
  });
  const users = await usersById(
    auth,
    rows.map((m) => m.userId),
  );
  return rows.flatMap((m) => {
    const user = users.get(m.userId);
    if (!user) return [];
    return [
      {
        id: m.id,
        userId: m.userId,
        name: user.name,
        email: user.email,
        role: roleOf(m.role),
        joinedAt: new Date(m.createdAt).toISOString(),
      },
    ];
  });
}

async function listInvitations(auth: StudioAuth, workspaceId: string, origin: string): Promise<Invitation[]> {
  const rows = await (await auth.$context).adapter.findMany<InvitationRow>({
    model: "invitation",
    where: [
      { field: "organizationId", value: workspaceId },
      { field: "status", value: "pending" },
    ],
    sortBy: { field: "createdAt", direction: "desc" },
  });
  const now = Date.now();
  const pending = rows.filter((i) => new Date(i.expiresAt).getTime() > now);
  const inviters = await usersById(
    auth,
    pending.map((i) => i.inviterId),
  );
  return pending.map((i) => {
    const inviter = inviters.get(i.inviterId);
    return {
      id: i.id,
      email: i.email,
      role: roleOf(i.role),
      expiresAt: new Date(i.expiresAt).toISOString(),
      createdAt: new Date(i.createdAt).toISOString(),
      inviter: inviter ? { id: inviter.id, name: inviter.name, email: inviter.email } : null,
      acceptUrl: `${origin}/invitations/${i.id}`,
    };
  });
}

/** The member `id` of this workspace; another workspace's member answers 404 like a missing one. */
async function memberOf(auth: StudioAuth, workspaceId: string, id: string): Promise<MemberRow> {
  const [member] = await (await auth.$context).adapter.findMany<MemberRow>({
    model: "member",
    where: [
      { field: "id", value: id },
      { field: "organizationId", value: workspaceId },
    ],
    limit: 1,
  });
  if (!member) throw new NotFound("member", id);
  return member;
}

/**
 * Runs a Better Auth organization call as the signed-in user, whose role there decides, and
 * maps its refusals to the API's errors. Tokens act for no person, so they cannot.
 */
async function asSignedInUser<T>(
  c: Context<ApiEnv>,
  principal: Principal,
  what: string,
  call: (headers: Headers) => Promise<T>,
): Promise<T> {
  if (principal.kind !== "user") {
    throw new Forbidden(
      `Only a signed-in owner or admin may ${what}: workspace roles are checked against a person, and an API or OAuth token acts for none. Sign in to Studio and use Settings → Members.`,
    );
  }
  try {
    return await call(c.req.raw.headers);
  } catch (error) {
    throw refusalOf(error, principal);
  }
}

/** Better Auth's organization errors as the API's: 409 for the last owner, 403 for roles, 404, 400. */
function refusalOf(error: unknown, principal: Principal): unknown {
  if (!isAPIError(error)) return error;
  const body = (error as { body?: { code?: string; message?: string } }).body;
  const code = body?.code ?? "";
  const message = body?.message ?? error.message;
  switch (code) {
    case "YOU_CANNOT_LEAVE_THE_ORGANIZATION_AS_THE_ONLY_OWNER":
    case "YOU_CANNOT_LEAVE_THE_ORGANIZATION_WITHOUT_AN_OWNER":
      // Better Auth answers the same when a non-owner tries to remove an owner.
      if (principal.role !== "owner") return new Forbidden("Only an owner may remove or demote an owner.");
      return new Conflict(
        "This is the workspace's last owner: a workspace needs one. Make another member owner first, then change or remove this one.",
        { cause: error },
      );
    case "USER_IS_ALREADY_A_MEMBER_OF_THIS_ORGANIZATION":
      return new Conflict("This email already belongs to a member of this workspace.", { cause: error });
    case "USER_IS_ALREADY_INVITED_TO_THIS_ORGANIZATION":
      return new Conflict(
        "This email already has a pending invitation: share its link from the list, or cancel it and invite again.",
        { cause: error },
      );
    case "INVITATION_LIMIT_REACHED":
      return new Conflict("This workspace has 100 pending invitations: cancel some before inviting more.", {
        cause: error,
      });
    case "INVALID_EMAIL":
      return Invalid.field("body.email", "must be an email address");
    case "YOU_ARE_NOT_ALLOWED_TO_INVITE_USER_WITH_THIS_ROLE":
      return new Forbidden("Only an owner may invite an owner.", { cause: error });
    case "YOU_ARE_NOT_ALLOWED_TO_UPDATE_THIS_MEMBER":
      return new Forbidden(
        `Your role (${principal.role ?? "none"}) may not make this change: only an owner makes someone an owner or changes an owner's role.`,
        { cause: error },
      );
  }
  const status = (error as { statusCode?: number }).statusCode ?? 500;
  if (status === 401 || status === 403) {
    return new Forbidden(
      `Your role in this workspace (${principal.role ?? "none"}) may not do this: ${message}.`,
      {
        cause: error,
      },
    );
  }
  if (status === 400) return new Invalid(message, { cause: error });
  return error;
}
