"use client";
import { XIcon } from "lucide-react";
import { Dialog as D } from "radix-ui";
import type { ReactNode } from "react";
import { cn } from "../../lib/cn";

/** A modal dialog on Radix (focus trap, Escape to close, labelled by its title). */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  className,
  trigger,
}: {
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
  trigger?: ReactNode;
}) {
  return (
    <D.Root {...(open === undefined ? {} : { open })} {...(onOpenChange ? { onOpenChange } : {})}>
      {trigger && <D.Trigger asChild>{trigger}</D.Trigger>}
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-50 bg-black/50" />
        <D.Content
          className={cn(
            "fixed top-1/2 left-1/2 z-50 grid max-h-[90vh] w-[min(36rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 gap-4 overflow-y-auto rounded-lg border bg-popover p-6 text-popover-foreground shadow-lg",
            className,
          )}
          {...(description ? {} : { "aria-describedby": undefined })}
        >
          <div className="grid gap-1">
            <D.Title className="font-semibold text-lg">{title}</D.Title>
            {description && (
              <D.Description className="text-muted-foreground text-sm">{description}</D.Description>
            )}
          </div>
          {children}
          <D.Close
            className="absolute top-4 right-4 rounded-sm opacity-70 hover:opacity-100"
            aria-label="Close"
          >
            <XIcon className="size-4" />
          </D.Close>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}
