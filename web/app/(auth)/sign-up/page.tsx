import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthCard } from "../auth-card";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default function SignUpPage() {
  return (
    <AuthCard title="Create your account" description="Invited? Use the email the invitation was sent to.">
      <Suspense>
        <SignUpForm />
      </Suspense>
    </AuthCard>
  );
}
