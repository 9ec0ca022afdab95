"use client";

import { useEffect, useState } from "react";
import { authCall } from "../auth-api";

export function SignOut() {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    authCall("/sign-out", {}).then(
      () => window.location.assign("/sign-in"),
      (failure: Error) => setError(failure.message),
    );
  }, []);
  return <p className="text-sm">{error ?? "Signing out…"}</p>;
}
