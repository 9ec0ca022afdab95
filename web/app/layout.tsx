import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ConnectionBadge } from "../components/shell/connection-badge";
import { Nav } from "../components/shell/nav";
import { SidebarGate } from "../components/shell/sidebar-gate";
import { THEME_SCRIPT, ThemeToggle } from "../components/shell/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "AgentOS Studio", template: "%s · AgentOS Studio" },
  description: "Build and run AI agents, locally first.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-background focus:p-2"
        >
          Skip to content
        </a>
        <div className="flex min-h-screen">
          <SidebarGate>
            <aside className="w-52 shrink-0 border-r bg-sidebar">
              <div className="sticky top-0 flex h-screen flex-col gap-4 p-3">
                <a href="/" className="flex items-center gap-2 px-3 py-1 font-semibold">
                  <span className="grid size-6 place-items-center rounded bg-primary text-primary-foreground text-xs">
                    A
                  </span>
                  AgentOS Studio
                </a>
                <div className="flex-1 overflow-y-auto">
                  <Nav />
                </div>
                <div className="grid gap-1">
                  <ConnectionBadge />
                  <ThemeToggle />
                </div>
              </div>
            </aside>
          </SidebarGate>
          <main id="main" className="min-w-0 flex-1 px-6 py-5">
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
