"use client";
import { Progress as P } from "radix-ui";
import type { ComponentProps } from "react";
import { cn } from "../../lib/cn";

/**
 * A progress bar (role=progressbar with aria-valuenow). `value` null is an indeterminate bar: the
 * work has started but its size is not known yet.
 */
export function Progress({
  value,
  className,
  tone = "primary",
  ...props
}: Omit<ComponentProps<typeof P.Root>, "value"> & {
  value: number | null;
  tone?: "primary" | "danger" | "muted";
}) {
  return (
    <P.Root
      value={value}
      max={100}
      className={cn("relative h-2 w-full overflow-hidden rounded-full bg-secondary", className)}
      {...props}
    >
      <P.Indicator
        className={cn(
          "h-full transition-[width] duration-200",
          tone === "primary" && "bg-primary",
          tone === "danger" && "bg-destructive",
          tone === "muted" && "bg-muted-foreground/50",
          value === null && "w-1/3 animate-pulse",
        )}
        style={value === null ? undefined : { width: `${value}%` }}
      />
    </P.Root>
  );
}
