"use client";
import type { Invitation, Me, Member, WorkspaceRole } from "@agentos/core";
import { MailPlusIcon, UsersIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { formatTime } from "../../lib/format";
import { fieldErrors } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { OneTimeValue } from "../ui/copy-button";
import { EmptyState, ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Select } from "../ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";

const ROLES: WorkspaceRole[] = ["viewer", "member", "admin", "owner"];

/**
 * A hosted workspace's members and pending invitations. Owners and admins who are signed in
 * invite (the accept link is shown once, to share: Studio sends no email), change roles and
 * remove; Better Auth's rules are the API's, so a refused change shows its problem.
 */
export function MembersPanel({
  me,
  members,
  invitations,
}: {
  me: Me;
  members: Member[];
  /** Null when the caller may not see them (they need admin). */
  invitations: Invitation[] | null;
}) {
  const client = useClient();
  const router = useRouter();
  const canManage = me.kind === "user" && me.scopes.includes("admin");
  // Only an owner makes owners or changes an owner's role.
  const assignable = ROLES.filter((r) => r !== "owner" || me.role === "owner");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<WorkspaceRole>("member");
  const [created, setCreated] = useState<Invitation | null>(null);
  // "invite", or the action and id of the row being changed.
  const { busy, error, run } = useAction<string>();
  const errors = fieldErrors(error);

  async function invite(event: React.FormEvent) {
    event.preventDefault();
    await run("invite", async () => {
      setCreated(await client.invitations.create({ email, role }));
      setEmail("");
      router.refresh();
    });
  }
  async function changeRole(member: Member, next: WorkspaceRole) {
    await run(`role:${member.id}`, async () => {
      await client.members.updateRole(member.id, next);
      router.refresh();
    });
  }
  async function remove(member: Member) {
    const self = member.userId === me.user?.id;
    const question = self
      ? "Leave this workspace? You lose access to it until someone invites you again."
      : `Remove ${member.name || member.email} from this workspace? Their account stays; they lose access here.`;
    if (!confirm(question)) return;
    await run(`remove:${member.id}`, async () => {
      await client.members.remove(member.id);
      router.refresh();
    });
  }
  async function cancel(invitation: Invitation) {
    if (!confirm(`Cancel the invitation of ${invitation.email}? Its link stops working.`)) return;
    await run(`cancel:${invitation.id}`, async () => {
      await client.invitations.cancel(invitation.id);
      router.refresh();
    });
  }

  return (
    <div className="grid gap-4">
      {canManage ? (
        <form onSubmit={invite} className="flex flex-wrap items-end gap-3" aria-label="Invite a member">
          <Field label="Email" htmlFor="invite-email" error={errors.email} className="w-72">
            <Input
              id="invite-email"
              type="email"
              placeholder="teammate@example.com"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
          </Field>
          <Field label="Role" htmlFor="invite-role" error={errors.role} className="w-36">
            <Select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as WorkspaceRole)}>
              {assignable.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit" disabled={busy !== null}>
            {busy === "invite" ? <Spinner /> : <MailPlusIcon />} Invite
          </Button>
        </form>
      ) : (
        <p className="text-muted-foreground text-sm">
          Owners and admins, signed in, invite people and change roles here.
        </p>
      )}
      {created && (
        <OneTimeValue value={created.acceptUrl} testId="new-invitation" copyLabel="Copy link">
          {created.email} is invited as {created.role}. Studio sends no email: share this link with them. It
          works until {formatTime(created.expiresAt)}.
        </OneTimeValue>
      )}
      <ErrorAlert error={error} />
      <div className="rounded-lg border">
        <Table aria-label="Members">
          <THead>
            <Tr>
              <Th>Name</Th>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>Joined</Th>
              {canManage && <Th className="text-right">Access</Th>}
            </Tr>
          </THead>
          <TBody>
            {members.map((m) => {
              const isSelf = m.userId === me.user?.id;
              // An owner's row is an owner's to change.
              const isLocked = m.role === "owner" && me.role !== "owner";
              return (
                <Tr key={m.id} data-testid="member-row">
                  <Td className="font-medium">
                    {m.name || "—"} {isSelf && <Badge>you</Badge>}
                  </Td>
                  <Td className="text-xs">{m.email}</Td>
                  <Td>
                    {canManage && !isLocked ? (
                      <div className="flex items-center gap-2">
                        <Select
                          aria-label={`Role of ${m.email}`}
                          className="w-32"
                          value={m.role}
                          disabled={busy !== null}
                          onChange={(e) => void changeRole(m, e.target.value as WorkspaceRole)}
                        >
                          {assignable.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </Select>
                        {busy === `role:${m.id}` && <Spinner />}
                      </div>
                    ) : (
                      <Badge tone={m.role === "owner" || m.role === "admin" ? "info" : "neutral"}>
                        {m.role}
                      </Badge>
                    )}
                  </Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(m.joinedAt)}</Td>
                  {canManage && (
                    <Td className="text-right">
                      {!isLocked && (
                        <Button
                          size="sm"
                          variant="outline"
                          onClick={() => void remove(m)}
                          disabled={busy !== null}
                          aria-label={isSelf ? "Leave this workspace" : `Remove ${m.email}`}
                        >
                          {busy === `remove:${m.id}` && <Spinner />} {isSelf ? "Leave" : "Remove"}
                        </Button>
                      )}
                    </Td>
                  )}
                </Tr>
              );
            })}
          </TBody>
        </Table>
      </div>
      {invitations && (
        <section className="grid gap-2" aria-label="Pending invitations">
          <h3 className="font-medium text-sm">Pending invitations</h3>
          {invitations.length === 0 ? (
            <EmptyState icon={<UsersIcon />} title="No pending invitations">
              Invite someone by email above, then share the link Studio shows you.
            </EmptyState>
          ) : (
            <div className="rounded-lg border">
              <Table>
                <THead>
                  <Tr>
                    <Th>Email</Th>
                    <Th>Role</Th>
                    <Th>Invited by</Th>
                    <Th>Expires</Th>
                    {canManage && <Th className="text-right">Invitation</Th>}
                  </Tr>
                </THead>
                <TBody>
                  {invitations.map((i) => (
                    <Tr key={i.id} data-testid="invitation-row">
                      <Td className="text-xs">{i.email}</Td>
                      <Td>
                        <Badge>{i.role}</Badge>
                      </Td>
                      <Td className="text-muted-foreground text-xs">{i.inviter?.email ?? "—"}</Td>
                      <Td className="text-muted-foreground text-xs">{formatTime(i.expiresAt)}</Td>
                      {canManage && (
                        <Td className="text-right">
                          <Button
                            size="sm"
                            variant="outline"
                            onClick={() => void cancel(i)}
                            disabled={busy !== null}
                            aria-label={`Cancel the invitation of ${i.email}`}
                          >
                            {busy === `cancel:${i.id}` && <Spinner />} Cancel
                          </Button>
                        </Td>
                      )}
                    </Tr>
                  ))}
                </TBody>
              </Table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
