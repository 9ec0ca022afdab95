import { AlertCircleIcon, Loader2Icon } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "../../lib/cn";
import { type Problem, problemOf } from "../../lib/problem";

export function Spinner({ className, label = "Loading" }: { className?: string; label?: string }) {
  return <Loader2Icon className={cn("size-4 animate-spin", className)} aria-label={label} role="status" />;
}

/** The API's problem `detail` and field errors, in words. */
export function ErrorAlert({ error, className }: { error: unknown; className?: string }) {
  if (!error) return null;
  const problem: Problem = problemOf(error);
  return (
    <div
      role="alert"
      className={cn(
        "flex gap-3 rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm",
        className,
      )}
    >
      <AlertCircleIcon className="mt-0.5 size-4 shrink-0 text-destructive" />
      <div className="grid gap-1">
        <p className="font-medium">{problem.title}</p>
        {problem.detail && <p className="text-muted-foreground">{problem.detail}</p>}
        {problem.errors.length > 0 && (
          <ul className="list-disc pl-4 text-muted-foreground">
            {problem.errors.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                <code className="text-foreground">{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/** What an empty list means and what to do next. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed p-8 text-center">
      {icon && <div className="text-muted-foreground [&_svg]:size-8">{icon}</div>}
      <p className="font-medium">{title}</p>
      {children && <div className="max-w-md text-muted-foreground text-sm">{children}</div>}
      {action && <div className="mt-2">{action}</div>}
    </div>
  );
}
