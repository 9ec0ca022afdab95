// Dispatch latency: from just before POST /api/agents/{id}/execute to the run's first step.
import type { Run, RunStep } from "@agentos/core";
import { followRunEvents } from "./sse";
import { requestJson } from "./studio";
import { formatTable } from "./table";
import { epochMsOf, fixed, type Summary, summarize, wallNowMs } from "./timing";

const RUN_TIMEOUT_MS = 30_000;
const WARMUP_RUNS = 5;
export const DISPATCH_TARGET_MS = 20;

/** Milestones of one run, in ms after t0 (just before the execute request was sent). */
interface DispatchSample {
  /** The execute response arrived. */
  responded: number;
  /** `run.createdAt`: the API inserted the run. */
  inserted: number;
  /** `run.startedAt`: the worker claimed it. */
  claimed: number;
  /** `createdAt` of the first event (status running), written right after the claim. */
  firstEvent: number;
  /** `startedAt` of the run's first step row (`setup`: loading the agent), the engine's first step. */
  firstStepRow: number;
  /** `createdAt` of the first `step.start` event: the model step begins. */
  stepStarted: number;
}

export interface DispatchFigures {
  runs: number;
  failed: number;
  phases: Array<{ label: string; summary: Summary }>;
  stepStarted: Summary;
  /** Runs claimed more than LATE_CLAIM_MS after their insert: the poll, not the wake-up, found them. */
  lateClaims: number;
}

const LATE_CLAIM_MS = 100;

async function timeOneRun(apiUrl: string, agentId: string, index: number): Promise<DispatchSample | null> {
  const t0 = wallNowMs();
  const created = await requestJson<Run>(`${apiUrl}/api/agents/${agentId}/execute`, {
    method: "POST",
    body: JSON.stringify({ input: `dispatch ${index}` }),
  });
  const responded = wallNowMs() - t0;
  const events = await followRunEvents(apiUrl, created.id, RUN_TIMEOUT_MS);
  const run = await requestJson<Run>(`${apiUrl}/api/runs/${created.id}`);
  const steps = await requestJson<{ items: RunStep[] }>(`${apiUrl}/api/runs/${created.id}/steps`);
  const firstStep = steps.items.toSorted((a, b) => a.startedAt.localeCompare(b.startedAt))[0];
  const stepStart = events.find((e) => e.type === "step.start");
  if (run.status !== "succeeded" || !run.startedAt || !stepStart || !events[0] || !firstStep) return null;
  return {
    responded,
    inserted: epochMsOf(run.createdAt) - t0,
    claimed: epochMsOf(run.startedAt) - t0,
    firstEvent: epochMsOf(events[0].createdAt) - t0,
    firstStepRow: epochMsOf(firstStep.startedAt) - t0,
    stepStarted: epochMsOf(stepStart.createdAt) - t0,
  };
}

/** Runs `runs` agent runs one after another (after a few untimed ones) and times their dispatch. */
export async function measureDispatch(
  apiUrl: string,
  agentId: string,
  runs: number,
): Promise<DispatchFigures> {
  for (let i = 0; i < WARMUP_RUNS; i++) await timeOneRun(apiUrl, agentId, -i);
  const samples: DispatchSample[] = [];
  let failed = 0;
  for (let i = 0; i < runs; i++) {
    const sample = await timeOneRun(apiUrl, agentId, i);
    if (sample) samples.push(sample);
    else failed++;
  }
  const of = (pick: (s: DispatchSample) => number) => summarize(samples.map(pick));
  return {
    runs,
    failed,
    phases: [
      { label: "execute response received (client clock)", summary: of((s) => s.responded) },
      { label: "run inserted (run.createdAt)", summary: of((s) => s.inserted) },
      { label: "run claimed by the worker (run.startedAt)", summary: of((s) => s.claimed) },
      { label: "first event written (status running)", summary: of((s) => s.firstEvent) },
      { label: "first step row started (run_steps `setup`)", summary: of((s) => s.firstStepRow) },
      { label: "first step.start event written (model step)", summary: of((s) => s.stepStarted) },
    ],
    stepStarted: of((s) => s.stepStarted),
    lateClaims: samples.filter((s) => s.claimed - s.inserted > LATE_CLAIM_MS).length,
  };
}

export function formatDispatch(figures: DispatchFigures): string {
  const rows = figures.phases.map(({ label, summary }) => [
    label,
    fixed(summary.p50),
    fixed(summary.p99),
    fixed(summary.mean),
    fixed(summary.max),
  ]);
  const table = formatTable(["ms after t0 (just before POST execute)", "p50", "p99", "mean", "max"], rows);
  const p50 = figures.stepStarted.p50;
  const verdict = p50 < DISPATCH_TARGET_MS ? "meets" : "misses";
  return [
    table,
    "",
    `runs claimed more than ${LATE_CLAIM_MS} ms after their insert (found by the worker's poll rather than the API's wake-up call): ${figures.lateClaims}`,
    `dispatch latency = t0 → createdAt of the first step.start event: p50 ${fixed(p50)} ms, p99 ${fixed(figures.stepStarted.p99)} ms over ${figures.stepStarted.count} runs (${figures.failed} failed); ${verdict} the p50 < ${DISPATCH_TARGET_MS} ms target`,
  ].join("\n");
}
