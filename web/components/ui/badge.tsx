import type { ComponentProps } from "react";
import { cn } from "../../lib/cn";

const TONES = {
  neutral: "bg-secondary text-secondary-foreground",
  info: "bg-primary/15 text-primary",
  success: "bg-success/15 text-success",
  warning: "bg-warning/20 text-foreground",
  danger: "bg-destructive/15 text-destructive",
} as const;
export type Tone = keyof typeof TONES;

export function Badge({ className, tone = "neutral", ...props }: ComponentProps<"span"> & { tone?: Tone }) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 rounded-full px-2 py-0.5 font-medium text-xs",
        TONES[tone],
        className,
      )}
      {...props}
    />
  );
}
