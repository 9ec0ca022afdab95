import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthCard } from "../auth-card";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <AuthCard title="Sign in to AgentOS Studio">
      <Suspense>
        <SignInForm />
      </Suspense>
    </AuthCard>
  );
}
