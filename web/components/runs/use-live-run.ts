"use client";
import type { Run, RunEvent, RunStep } from "@agentos/core";
import { useEffect, useRef, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { isFinal } from "../../lib/run-status";
import { EMPTY_TIMELINE, foldRunEvents } from "../../lib/run-timeline";

/** Events that change the run row or its steps: refetch both after them. */
const REFRESHING = new Set([
  "status",
  "step.start",
  "step.end",
  "tool.call",
  "tool.result",
  "usage",
  "approval.requested",
  "approval.resolved",
]);

/** Follows a run live: its events over SSE (resuming after the last seq), its steps and its row. */
export function useLiveRun(initialRun: Run, initialSteps: RunStep[], initialEvents: RunEvent[]) {
  const client = useClient();
  const [run, setRun] = useState(initialRun);
  const [steps, setSteps] = useState(initialSteps);
  const [timeline, setTimeline] = useState(() => foldRunEvents(EMPTY_TIMELINE, initialEvents));
  const [streamError, setStreamError] = useState<unknown>(null);
  const [isLive, setIsLive] = useState(false);
  const lastSeq = useRef(timeline.lastSeq);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const runId = initialRun.id;
  const isRunFinal = isFinal(run.status);

  useEffect(() => {
    if (isRunFinal) return;
    const controller = new AbortController();
    const refresh = async () => {
      const [fresh, freshSteps] = await Promise.all([client.runs.get(runId), client.runs.steps(runId)]);
      setRun(fresh);
      setSteps(freshSteps.items);
    };
    const scheduleRefresh = () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
      refreshTimer.current = setTimeout(() => void refresh().catch(setStreamError), 250);
    };
    (async () => {
      setIsLive(true);
      try {
        for await (const event of client.runs.follow(runId, {
          lastEventId: lastSeq.current,
          signal: controller.signal,
        })) {
          lastSeq.current = event.seq;
          setTimeline((t) => foldRunEvents(t, [event]));
          if (REFRESHING.has(event.type)) scheduleRefresh();
        }
        if (!controller.signal.aborted) await refresh();
      } catch (error) {
        if (!controller.signal.aborted) setStreamError(error);
      } finally {
        setIsLive(false);
      }
    })();
    return () => {
      controller.abort();
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    };
  }, [client, runId, isRunFinal]);

  return { run, setRun, steps, timeline, streamError, isLive };
}
