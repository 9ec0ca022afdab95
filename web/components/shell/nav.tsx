"use client";
import {
  BarChart3Icon,
  BotIcon,
  BoxIcon,
  CpuIcon,
  FileIcon,
  MessageSquareIcon,
  PlayCircleIcon,
  SettingsIcon,
  ThumbsUpIcon,
  WorkflowIcon,
  WrenchIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "../../lib/cn";

const LINKS = [
  { href: "/", label: "Dashboard", icon: BarChart3Icon },
  { href: "/agents", label: "Agents", icon: BotIcon },
  { href: "/chat", label: "Chat", icon: MessageSquareIcon },
  { href: "/runs", label: "Runs", icon: PlayCircleIcon },
  { href: "/workflows", label: "Workflows", icon: WorkflowIcon },
  { href: "/tools", label: "Tools & MCP", icon: WrenchIcon },
  { href: "/models", label: "Models", icon: CpuIcon },
  { href: "/sandboxes", label: "Sandboxes", icon: BoxIcon },
  { href: "/files", label: "Files", icon: FileIcon },
  { href: "/feedback", label: "Feedback", icon: ThumbsUpIcon },
  { href: "/settings", label: "Settings", icon: SettingsIcon },
] as const;

export function Nav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="grid gap-0.5">
      {LINKS.map(({ href, label, icon: Icon }) => {
        const isActive =
          href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={isActive ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-md px-3 py-2 text-muted-foreground text-sm hover:bg-accent hover:text-accent-foreground",
              isActive && "bg-accent font-medium text-foreground",
            )}
          >
            <Icon className="size-4 shrink-0" aria-hidden />
            <span className="truncate">{label}</span>
          </Link>
        );
      })}
    </nav>
  );
}
