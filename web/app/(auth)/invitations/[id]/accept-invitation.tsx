"use client";

import { useEffect, useState } from "react";
import { Button } from "../../../../components/ui/button";
import { AuthFailure, authCall } from "../../auth-api";
import { FormError } from "../../auth-card";

interface Invitation {
  id: string;
  email: string;
  role: string;
  organizationId: string;
  organizationName?: string;
  status: string;
}

export function AcceptInvitation({ id }: { id: string }) {
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const here = `/invitations/${id}`;

  useEffect(() => {
    authCall<Invitation>(`/organization/get-invitation?id=${encodeURIComponent(id)}`).then(
      setInvitation,
      (failure) => {
        if (failure instanceof AuthFailure && failure.status === 401) {
          window.location.assign(`/sign-in?next=${encodeURIComponent(here)}`);
        } else setError((failure as Error).message);
      },
    );
  }, [id, here]);

  async function accept() {
    setBusy(true);
    setError(null);
    try {
      const accepted = await authCall<{ invitation?: Invitation }>("/organization/accept-invitation", {
        invitationId: id,
      });
      const organizationId = accepted.invitation?.organizationId ?? invitation?.organizationId;
      if (organizationId) await authCall("/organization/set-active", { organizationId });
      window.location.assign("/");
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-4">
      {invitation ? (
        <p className="text-sm">
          You are invited to <strong>{invitation.organizationName ?? invitation.organizationId}</strong> as{" "}
          <strong>{invitation.role}</strong>.
        </p>
      ) : (
        !error && <p className="text-sm">Loading the invitation…</p>
      )}
      <FormError message={error} />
      <p className="text-muted-foreground text-xs">
        Not signed in as the invited email?{" "}
        <a className="underline" href={`/sign-up?next=${encodeURIComponent(here)}`}>
          Create that account
        </a>{" "}
        or{" "}
        <a className="underline" href={`/sign-in?next=${encodeURIComponent(here)}`}>
          sign in
        </a>
        .
      </p>
      <Button type="button" disabled={busy || !invitation} onClick={() => void accept()}>
        Accept invitation
      </Button>
    </div>
  );
}
