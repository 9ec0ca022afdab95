"use client";
import dynamic from "next/dynamic";
import { Spinner } from "../ui/feedback";

/** Recharts is loaded after the page, so it never counts toward the dashboard's first load. */
export const LazyDashboardCharts = dynamic(() => import("./charts"), {
  ssr: false,
  loading: () => (
    <div className="flex h-64 items-center justify-center gap-2 rounded-lg border text-muted-foreground text-sm">
      <Spinner /> Loading charts…
    </div>
  ),
});
