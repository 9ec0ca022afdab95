import type { Metadata } from "next";
import { AuthCard } from "../../auth-card";
import { AcceptInvitation } from "./accept-invitation";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <AuthCard title="Join a workspace">
      <AcceptInvitation id={id} />
    </AuthCard>
  );
}
