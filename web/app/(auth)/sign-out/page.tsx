import type { Metadata } from "next";
import { AuthCard } from "../auth-card";
import { SignOut } from "./sign-out";

export const metadata: Metadata = { title: "Sign out" };

export default function SignOutPage() {
  return (
    <AuthCard title="Sign out">
      <SignOut />
    </AuthCard>
  );
}
