import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthCard } from "../auth-card";
import { ConsentForm } from "./consent-form";

export const metadata: Metadata = { title: "Allow access" };

export default function ConsentPage() {
  return (
    <AuthCard title="Allow access to AgentOS Studio">
      <Suspense>
        <ConsentForm />
      </Suspense>
    </AuthCard>
  );
}
