"use client";
import type { Run, RunStep } from "@agentos/core";
import { useEffect, useState } from "react";
import { useClient } from "../../lib/browser-client";

/** A run and its steps, kept current from its event stream until it is final. */
export function useWatchedRun(runId: string | null) {
  const client = useClient();
  const [run, setRun] = useState<Run | null>(null);
  const [steps, setSteps] = useState<RunStep[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setRun(null);
    setSteps([]);
    setError(null);
    if (!runId) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = async () => {
      const [fresh, freshSteps] = await Promise.all([client.runs.get(runId), client.runs.steps(runId)]);
      if (controller.signal.aborted) return;
      setRun(fresh);
      setSteps(freshSteps.items);
    };
    (async () => {
      try {
        await refresh();
        for await (const event of client.runs.follow(runId, { signal: controller.signal })) {
          if (event.type === "text.delta") continue;
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => void refresh().catch(setError), 150);
        }
        if (!controller.signal.aborted) await refresh();
      } catch (e) {
        if (!controller.signal.aborted) setError(e);
      }
    })();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [client, runId]);
  return { run, steps, error };
}
