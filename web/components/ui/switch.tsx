"use client";
import { CheckIcon } from "lucide-react";
import { Checkbox as C, Switch as S } from "radix-ui";
import type { ComponentProps, ReactNode } from "react";
import { cn } from "../../lib/cn";
import { Label } from "./input";

export function Switch({ className, ...props }: ComponentProps<typeof S.Root>) {
  return (
    <S.Root
      className={cn(
        "inline-flex h-5 w-9 shrink-0 cursor-pointer items-center rounded-full border-2 border-transparent bg-input transition-colors disabled:cursor-not-allowed disabled:opacity-50 data-[state=checked]:bg-primary",
        className,
      )}
      {...props}
    >
      <S.Thumb className="pointer-events-none block size-4 rounded-full bg-background shadow-lg transition-transform data-[state=checked]:translate-x-4" />
    </S.Root>
  );
}

/** A switch with its label beside it: an on/off setting in a form. */
export function SwitchField({
  id,
  label,
  className,
  ...props
}: Omit<ComponentProps<typeof S.Root>, "id"> & { id: string; label: ReactNode }) {
  return (
    <div className={cn("flex items-center gap-2 text-sm", className)}>
      <Switch id={id} {...props} />
      <Label htmlFor={id} className="font-normal">
        {label}
      </Label>
    </div>
  );
}

export function Checkbox({ className, ...props }: ComponentProps<typeof C.Root>) {
  return (
    <C.Root
      className={cn(
        "grid size-4 shrink-0 cursor-pointer place-items-center rounded-sm border border-primary data-[state=checked]:bg-primary data-[state=checked]:text-primary-foreground",
        className,
      )}
      {...props}
    >
      <C.Indicator>
        <CheckIcon className="size-3" />
      </C.Indicator>
    </C.Root>
  );
}
