"use client";

import { useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import { Button } from "../../../components/ui/button";
import { Field, Input } from "../../../components/ui/input";
import { authCall, redirectOf, type StudioOptions, safeNext, signedOAuthQuery } from "../auth-api";
import { FormError } from "../auth-card";

export function SignInForm() {
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const [options, setOptions] = useState<StudioOptions | null>(null);
  const [error, setError] = useState<string | null>(params.get("error"));
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    authCall<StudioOptions>("/studio-options").then(setOptions, () => setOptions(null));
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const oauthQuery = signedOAuthQuery(window.location.search);
      const result = await authCall<{ url?: string }>("/sign-in/email", {
        email: form.get("email"),
        password: form.get("password"),
        ...(oauthQuery ? { oauth_query: oauthQuery } : {}),
      });
      // Signing in for an MCP client continues its authorization (consent, then the client).
      window.location.assign(redirectOf(result) ?? next);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  async function withProvider(provider: StudioOptions["providers"][number]) {
    setError(null);
    const callbackURL = new URL(next, window.location.origin).toString();
    const errorCallbackURL = new URL("/sign-in", window.location.origin).toString();
    try {
      // Generic OIDC providers are social providers to Better Auth: one endpoint signs in with any.
      const { url } = await authCall<{ url: string }>("/sign-in/social", {
        provider: provider.id,
        callbackURL,
        errorCallbackURL,
      });
      window.location.assign(url);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  if (options?.mode === "local") {
    return (
      <p className="text-sm">
        This Studio runs in local mode: there is nothing to sign in to.{" "}
        <a className="underline" href="/">
          Open the Studio
        </a>
        .
      </p>
    );
  }
  return (
    <div className="grid gap-4">
      <form className="grid gap-3" onSubmit={submit}>
        <Field label="Email" htmlFor="email">
          <Input id="email" name="email" type="email" autoComplete="email" required />
        </Field>
        <Field label="Password" htmlFor="password">
          <Input id="password" name="password" type="password" autoComplete="current-password" required />
        </Field>
        <FormError message={error} />
        <Button type="submit" disabled={busy}>
          Sign in
        </Button>
      </form>
      {options && options.providers.length > 0 && (
        <div className="grid gap-2">
          {options.providers.map((provider) => (
            <Button
              key={provider.id}
              variant="outline"
              type="button"
              onClick={() => void withProvider(provider)}
            >
              Continue with {provider.name}
            </Button>
          ))}
        </div>
      )}
      {options?.signUp !== "invite" && (
        <p className="text-muted-foreground text-sm">
          No account?{" "}
          <a className="underline" href={`/sign-up?next=${encodeURIComponent(next)}`}>
            Sign up
          </a>
        </p>
      )}
    </div>
  );
}
