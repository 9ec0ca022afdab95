"use client";
import dynamic from "next/dynamic";
import { Spinner } from "../ui/feedback";

/** React Flow (and core's graph validation) load after the page, outside its first load. */
export const LazyWorkflowEditor = dynamic(() => import("./workflow-editor"), {
  ssr: false,
  loading: () => (
    <div className="flex h-[30rem] items-center justify-center gap-2 rounded-lg border text-muted-foreground text-sm">
      <Spinner /> Loading the graph editor…
    </div>
  ),
});
