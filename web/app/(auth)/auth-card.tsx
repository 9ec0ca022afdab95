import type { ReactNode } from "react";

/** The frame of the sign-in, sign-up, consent and invitation pages. */
export function AuthCard({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="mx-auto mt-16 grid w-full max-w-sm gap-5 rounded-lg border bg-card p-6 shadow-sm">
      <div className="grid gap-1">
        <h1 className="font-semibold text-xl">{title}</h1>
        {description && <p className="text-muted-foreground text-sm">{description}</p>}
      </div>
      {children}
    </div>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 p-2 text-sm">
      {message}
    </p>
  );
}
