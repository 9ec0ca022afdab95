// Members and invitations through the contract API on a real hosted headless server (Better Auth
// on a fresh libSQL file): invite, accept, change roles, remove, cancel; the rules Better Auth
// keeps (last owner, only owners make owners); scopes; and local mode, which has no members.
import { type AgentOsClient, ApiError, createClient } from "@agentos/client";
import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTarget, startHeadlessServer } from "../harness/processes";
import { ADMIN, type Session, type StudioProcess, signIn, signUp, startHostedStudio } from "./harness";

/** The typed client, acting with a session's cookie as the browser does. */
const clientOf = (session: Session): AgentOsClient =>
  createClient({ baseUrl: session.baseUrl, fetch: (input, init) => session.fetch(String(input), init) });

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the API to refuse");
    },
    (error: unknown) => {
      if (!(error instanceof ApiError)) throw error;
      return error;
    },
  );

const MIA = { email: "mia@studio.test", password: "mia's long password", name: "Mia" };

describe("members and invitations on a hosted Studio", () => {
  let studio: StudioProcess;
  let ownerSession: Session;
  let owner: AgentOsClient;
  let mia: Session;
  let miaMemberId: string;

  beforeAll(async () => {
    // Sign-up by invitation only, as a team's Studio runs.
    studio = await startHostedStudio({ env: { AGENTOS_SIGNUP: "invite" } });
    ownerSession = await signIn(studio.baseUrl, ADMIN);
    owner = clientOf(ownerSession);
  }, 120_000);

  afterAll(() => studio?.stop());

  const tokenWith = async (scopes: Array<"read" | "write" | "run" | "admin">) =>
    createClient({
      baseUrl: studio.baseUrl,
      token: (await owner.tokens.create({ name: `members-${scopes.join("-")}`, scopes })).token,
    });

  it("answers an invitation with the link to share; the invitee who accepts it is listed with the role", async () => {
    const invitation = await owner.invitations.create({ email: MIA.email, role: "member" });
    expect(invitation).toMatchObject({
      email: MIA.email,
      role: "member",
      acceptUrl: `${studio.baseUrl}/invitations/${invitation.id}`,
      inviter: { email: ADMIN.email },
    });
    expect(Date.parse(invitation.expiresAt)).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    expect((await owner.invitations.list()).items.map((i) => i.id)).toContain(invitation.id);

    mia = await signUp(studio.baseUrl, MIA);
    await mia.json("/api/auth/organization/accept-invitation", {
      method: "POST",
      json: { invitationId: invitation.id },
    });

    const members = (await owner.members.list()).items;
    const listed = members.find((m) => m.email === MIA.email);
    expect(listed).toMatchObject({ name: "Mia", role: "member" });
    expect(Date.parse(listed!.joinedAt)).toBeLessThanOrEqual(Date.now());
    expect(members.find((m) => m.email === ADMIN.email)?.role).toBe("owner");
    miaMemberId = listed!.id;
    expect((await owner.invitations.list()).items.map((i) => i.id)).not.toContain(invitation.id);
    expect(await clientOf(mia).me()).toMatchObject({ workspaceId: LOCAL_WORKSPACE_ID, role: "member" });
  });

  it("lets a read token list members but not invitations, whose links let their holder join", async () => {
    const reader = await tokenWith(["read"]);
    expect((await reader.members.list()).items.map((m) => m.email)).toContain(MIA.email);
    const refused = await refusal(reader.invitations.list());
    expect(refused.status).toBe(403);
    expect(refused.problem.detail).toContain('"admin"');
  });

  it("lets an owner change a member's role, and writes it to the audit log", async () => {
    const updated = await owner.members.updateRole(miaMemberId, "viewer");
    expect(updated).toMatchObject({ id: miaMemberId, email: MIA.email, role: "viewer" });
    expect(await clientOf(mia).me()).toMatchObject({ role: "viewer", scopes: ["read"] });
    await owner.members.updateRole(miaMemberId, "member");
    const audit = await ownerSession.json<{ items: Array<{ action: string; targetId: string | null }> }>(
      "/api/audit?action=member.",
    );
    expect(
      audit.items.filter((e) => e.action === "member.update" && e.targetId === miaMemberId),
    ).toHaveLength(2);
  });

  it("refuses invitations from a member's token or session, and from tokens, which act for no person", async () => {
    const memberToken = await tokenWith(["read", "write", "run"]);
    const byToken = await refusal(memberToken.invitations.create({ email: "x@studio.test", role: "viewer" }));
    expect(byToken.status).toBe(403);
    expect(byToken.problem).toMatchObject({ code: "forbidden", title: "Forbidden" });
    expect(byToken.problem.detail).toContain('"admin"');

    const bySession = await refusal(
      clientOf(mia).invitations.create({ email: "x@studio.test", role: "viewer" }),
    );
    expect(bySession.status).toBe(403);
    expect(bySession.problem.detail).toContain("(member)");
    const onOthers = await refusal(clientOf(mia).members.updateRole(miaMemberId, "admin"));
    expect(onOthers.status).toBe(403);

    const adminToken = await tokenWith(["read", "write", "run", "admin"]);
    const byAdminToken = await refusal(
      adminToken.invitations.create({ email: "x@studio.test", role: "viewer" }),
    );
    expect(byAdminToken.status).toBe(403);
    expect(byAdminToken.problem.detail).toContain("signed-in owner or admin");
    const audit = await ownerSession.json<{ items: Array<{ action: string; actorKind: string }> }>(
      "/api/audit?action=invitation.create.denied",
    );
    expect(audit.items[0]).toMatchObject({ action: "invitation.create.denied", actorKind: "token" });
  });

  it("keeps the last owner: neither removed nor demoted (409), and admins cannot make owners", async () => {
    const ownerId = (await owner.members.list()).items.find((m) => m.email === ADMIN.email)!.id;
    const removed = await refusal(owner.members.remove(ownerId));
    expect(removed.status).toBe(409);
    expect(removed.problem).toMatchObject({ code: "conflict" });
    expect(removed.problem.detail).toContain("last owner");
    const demoted = await refusal(owner.members.updateRole(ownerId, "admin"));
    expect(demoted.status).toBe(409);

    await owner.members.updateRole(miaMemberId, "admin");
    const miaClient = clientOf(mia);
    expect((await refusal(miaClient.members.updateRole(miaMemberId, "owner"))).status).toBe(403);
    expect((await refusal(miaClient.members.updateRole(ownerId, "member"))).status).toBe(403);
    expect((await refusal(miaClient.members.remove(ownerId))).status).toBe(403);
    const ownerInvite = await refusal(
      miaClient.invitations.create({ email: "o@studio.test", role: "owner" }),
    );
    expect(ownerInvite.status).toBe(403);
    expect(ownerInvite.problem.detail).toContain("Only an owner may invite an owner");
    // An admin invites the other roles.
    const invited = await miaClient.invitations.create({ email: "by-admin@studio.test", role: "viewer" });
    expect(invited.inviter?.email).toBe(MIA.email);
    await miaClient.invitations.cancel(invited.id);
  });

  it("cancels an invitation: it leaves the list and its email can no longer sign up", async () => {
    const invitation = await owner.invitations.create({ email: "cancelled@studio.test", role: "viewer" });
    const duplicate = await refusal(
      owner.invitations.create({ email: "cancelled@studio.test", role: "admin" }),
    );
    expect(duplicate.status).toBe(409);
    await owner.invitations.cancel(invitation.id);
    expect((await owner.invitations.list()).items.map((i) => i.id)).not.toContain(invitation.id);
    const again = await refusal(owner.invitations.cancel(invitation.id));
    expect(again.status).toBe(409);
    expect(again.problem.detail).toContain("canceled");
    const signUpRefused = await ownerSession.fetch("/api/auth/sign-up/email", {
      method: "POST",
      json: { email: "cancelled@studio.test", password: "a long enough password", name: "C" },
    });
    expect(signUpRefused.status).toBe(403);
    expect((await refusal(owner.invitations.cancel("inv_00000000000000000000000000"))).status).toBe(404);
  });

  it("answers a bad email or role with 400 naming the field", async () => {
    const badEmail = await refusal(owner.invitations.create({ email: "not an email", role: "member" }));
    expect(badEmail.status).toBe(400);
    expect(badEmail.problem.errors?.map((e) => e.path)).toEqual(["body.email"]);
    const badRole = await refusal(
      owner.invitations.create({ email: "ok@studio.test", role: "superuser" as "member" }),
    );
    expect(badRole.problem.errors?.map((e) => e.path)).toEqual(["body.role"]);
    const badPatch = await refusal(owner.members.updateRole(miaMemberId, "root" as "member"));
    expect(badPatch.problem.errors?.map((e) => e.path)).toEqual(["body.role"]);
  });

  it("removes a member, who keeps the account but no longer reaches the workspace", async () => {
    await owner.members.remove(miaMemberId);
    expect((await owner.members.list()).items.map((m) => m.email)).not.toContain(MIA.email);
    const me = await mia.fetch("/api/me");
    expect(me.status).toBe(403);
    expect((await refusal(owner.members.remove(miaMemberId))).status).toBe(404);
  });
});

describe("members in local mode", () => {
  let server: ApiTarget;
  beforeAll(async () => {
    server = await startHeadlessServer();
  }, 120_000);
  afterAll(() => server?.stop());

  it("answers 404 problem+json saying members exist in hosted mode only", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    for (const call of [
      client.members.list(),
      client.invitations.list(),
      client.invitations.create({ email: "a@b.test", role: "member" }),
    ]) {
      const refused = await refusal(call);
      expect(refused.status).toBe(404);
      expect(refused.problem.detail).toContain("hosted mode only (AGENTOS_MODE=hosted)");
    }
    const raw = await fetch(`${server.baseUrl}/api/members`);
    expect(raw.headers.get("content-type")).toContain("application/problem+json");
  });
});
