"use client";
import { CheckIcon, CopyIcon } from "lucide-react";
import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { cn } from "../../lib/cn";
import { Button, type ButtonProps } from "./button";

type CopyState = "idle" | "copied" | "selected";

/**
 * Copies `value` to the clipboard and says so for two seconds. The clipboard API exists only in
 * secure contexts (not on plain http to a LAN address) and may be denied: then the button selects
 * `select` (the element showing the value), so Ctrl+C copies it, and says that instead.
 */
export function CopyButton({
  value,
  select,
  label = "Copy",
  ...props
}: Omit<ButtonProps, "onClick" | "children" | "value"> & {
  value: string;
  select: RefObject<HTMLElement | null>;
  label?: string;
}) {
  const [state, setState] = useState<CopyState>("idle");
  useEffect(() => {
    if (state === "idle") return;
    const reset = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(reset);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      if (select.current) window.getSelection()?.selectAllChildren(select.current);
      setState("selected");
    }
  }

  return (
    <Button variant="outline" {...props} onClick={copy}>
      {state === "copied" ? <CheckIcon aria-hidden /> : <CopyIcon aria-hidden />}
      {state === "copied" ? "Copied" : state === "selected" ? "Press Ctrl+C" : label}
    </Button>
  );
}

/** A value shown once (a new token's secret, an invitation link) with a copy button. */
export function OneTimeValue({
  value,
  testId,
  copyLabel,
  className,
  children,
}: {
  value: string;
  /** `data-testid` of the panel; the value's is `<testId>-value`. */
  testId: string;
  copyLabel?: string;
  className?: string;
  /** What the value is and what to do with it. */
  children: ReactNode;
}) {
  const shown = useRef<HTMLElement>(null);
  return (
    <div
      className={cn("grid gap-2 rounded-md border border-success/50 bg-success/10 p-3 text-sm", className)}
      role="status"
      data-testid={testId}
    >
      <p className="font-medium">{children}</p>
      <div className="flex gap-2">
        <code
          ref={shown}
          className="flex-1 break-all rounded bg-background p-2 font-mono text-xs"
          data-testid={`${testId}-value`}
        >
          {value}
        </code>
        <CopyButton value={value} select={shown} {...(copyLabel ? { label: copyLabel } : {})} />
      </div>
    </div>
  );
}
