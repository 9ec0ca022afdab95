"use client";

import { useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "../../../components/ui/button";
import { Field, Input } from "../../../components/ui/input";
import { authCall, safeNext } from "../auth-api";
import { FormError } from "../auth-card";

export function SignUpForm() {
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await authCall("/sign-up/email", {
        name: form.get("name"),
        email: form.get("email"),
        password: form.get("password"),
      });
      window.location.assign(next);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <form className="grid gap-3" onSubmit={submit}>
      <Field label="Name" htmlFor="name">
        <Input id="name" name="name" autoComplete="name" required />
      </Field>
      <Field label="Email" htmlFor="email">
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={params.get("email") ?? ""}
          required
        />
      </Field>
      <Field label="Password" htmlFor="password" hint="At least 10 characters.">
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
        />
      </Field>
      <FormError message={error} />
      <Button type="submit" disabled={busy}>
        Create account
      </Button>
      <p className="text-muted-foreground text-sm">
        Have an account?{" "}
        <a className="underline" href={`/sign-in?next=${encodeURIComponent(next)}`}>
          Sign in
        </a>
      </p>
    </form>
  );
}
