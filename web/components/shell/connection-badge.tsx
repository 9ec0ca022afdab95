"use client";
import { GlobeIcon } from "lucide-react";
import Link from "next/link";
import { useConnection } from "../../lib/browser-client";

/** Says which server the UI talks to when it is not this Studio. */
export function ConnectionBadge() {
  const connection = useConnection();
  if (connection.kind === "local") return null;
  return (
    <Link
      href="/settings"
      className="flex items-center gap-2 rounded-md bg-warning/20 px-3 py-2 text-xs"
      title="Change in Settings → Connection"
    >
      <GlobeIcon className="size-3.5 shrink-0" aria-hidden />
      <span className="truncate">Remote: {new URL(connection.url).host}</span>
    </Link>
  );
}
