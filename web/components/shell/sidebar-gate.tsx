"use client";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** Pages of a hosted Studio that come before a session (sign-in and friends) show no navigation. */
const BARE_PAGES = ["/sign-in", "/sign-up", "/sign-out", "/consent", "/invitations/"];

export function SidebarGate({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  return BARE_PAGES.some((page) => pathname === page || pathname.startsWith(page)) ? null : children;
}
