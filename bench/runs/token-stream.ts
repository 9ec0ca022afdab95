// Added latency per streamed token: the stand-in model's SSE read directly with fetch, against the
// same answer reaching an SSE client of GET /api/runs/{id}/events through a run.
import type { Run } from "@agentos/core";
import {
  type OpenAiCompatibleServer,
  reply,
} from "../../packages/runtime/test/support/openai-compatible-server";
import { type ModelStreamTrace, type ModelTap, readCompletionDirectly } from "./model-stream";
import { followRunEvents, type TimedRunEvent } from "./sse";
import { requestJson } from "./studio";
import { formatTable } from "./table";
import { epochMsOf, fixed, median, summarize, wallNowMs } from "./timing";

export const ADDED_PER_TOKEN_TARGET_MS = 2;

export interface StreamSetup {
  apiUrl: string;
  model: OpenAiCompatibleServer;
  apiKey: string;
  modelName: string;
  /** The tap the streaming agent's provider points at. */
  tap: ModelTap;
  agentId: string;
  tokens: number;
  chunkDelayMs: number;
}

/** One run streaming a scripted answer, timed at both ends, and the same answer read alone. */
export interface StreamComparison {
  /** The stand-in alone, no run: ms from a direct fetch request to its last token. */
  aloneLastMs: number;
  /**
   * The run's model stream read directly with fetch (at the tap), and the same tokens at the SSE
   * client of the API: ms from the worker's model request to the last token.
   */
  directLastMs: number;
  sseLastMs: number;
  /** Per token: SSE arrival − the same token read at the tap. */
  lagMs: number[];
  /** Per token: event written by the worker (createdAt, ms resolution) − read at the tap. */
  workerPartMs: number[];
  /** Per token: SSE arrival − event written. */
  apiPartMs: number[];
  textDeltaEvents: number;
  /** Why the stream is not as scripted, if it is not. */
  mismatch?: string;
}

const timeoutFor = (setup: StreamSetup) => 30_000 + setup.tokens * (setup.chunkDelayMs + 5) * 2;

/** Each token's arrival at the SSE client and write time, from the coalesced `text.delta` events. */
function tokenArrivals(pieces: string[], events: TimedRunEvent[]) {
  const receivedAtMs: number[] = [];
  const writtenAtMs: number[] = [];
  let text = "";
  let end = 0;
  let token = 0;
  const deltas = events.filter((e) => e.type === "text.delta");
  for (const event of deltas) {
    text += (event.payload as { text?: string }).text ?? "";
    while (token < pieces.length && end + (pieces[token]?.length ?? 0) <= text.length) {
      end += pieces[token]?.length ?? 0;
      receivedAtMs.push(event.receivedAtMs);
      writtenAtMs.push(epochMsOf(event.createdAt));
      token++;
    }
  }
  return { receivedAtMs, writtenAtMs, text, deltaCount: deltas.length };
}

async function compareOnce(setup: StreamSetup, repeat: number): Promise<StreamComparison> {
  const pieces = Array.from({ length: setup.tokens }, (_, i) => `t${i} `);
  const answer = () => reply.text(pieces, { chunkDelayMs: setup.chunkDelayMs });

  setup.model.enqueue(answer());
  const alone = await readCompletionDirectly(
    setup.model.baseUrl,
    setup.apiKey,
    setup.modelName,
    timeoutFor(setup),
  );

  setup.model.enqueue(answer());
  const tracesBefore = setup.tap.traces.length;
  const created = await requestJson<Run>(`${setup.apiUrl}/api/agents/${setup.agentId}/execute`, {
    method: "POST",
    body: JSON.stringify({ input: `stream ${repeat}` }),
  });
  const events = await followRunEvents(setup.apiUrl, created.id, timeoutFor(setup));
  const run = await requestJson<Run>(`${setup.apiUrl}/api/runs/${created.id}`);
  const trace: ModelStreamTrace | undefined = setup.tap.traces[tracesBefore];
  if (!trace)
    throw new Error(`run ${created.id} (${run.status}) made no streamed model call through the tap`);

  const arrivals = tokenArrivals(pieces, events);
  const expected = pieces.join("");
  const problems = [
    run.status === "succeeded" ? "" : `run ${run.status}: ${run.error?.message ?? ""}`,
    alone.tokens.length === pieces.length ? "" : `the direct read got ${alone.tokens.length} tokens`,
    trace.tokens.length === pieces.length ? "" : `tap saw ${trace.tokens.length} tokens`,
    arrivals.text === expected
      ? ""
      : `SSE text differs from the scripted answer (${arrivals.text.length} chars)`,
  ].filter(Boolean);
  const tapAt = (i: number) => trace.tokens[i]?.atMs ?? Number.NaN;
  const last = pieces.length - 1;
  return {
    aloneLastMs: (alone.tokens[last]?.atMs ?? Number.NaN) - alone.requestedAtMs,
    directLastMs: tapAt(last) - trace.requestedAtMs,
    sseLastMs: (arrivals.receivedAtMs[last] ?? Number.NaN) - trace.requestedAtMs,
    lagMs: arrivals.receivedAtMs.map((at, i) => at - tapAt(i)),
    workerPartMs: arrivals.writtenAtMs.map((at, i) => at - tapAt(i)),
    apiPartMs: arrivals.receivedAtMs.map((at, i) => at - (arrivals.writtenAtMs[i] ?? Number.NaN)),
    textDeltaEvents: arrivals.deltaCount,
    ...(problems.length > 0 ? { mismatch: problems.join("; ") } : {}),
  };
}

/** Streams the answer `repeats` times, each time alone and then through a run. */
export async function measureTokenStream(setup: StreamSetup, repeats: number): Promise<StreamComparison[]> {
  const comparisons: StreamComparison[] = [];
  for (let repeat = 1; repeat <= repeats; repeat++) {
    const started = wallNowMs();
    comparisons.push(await compareOnce(setup, repeat));
    console.log(
      `token stream: repeat ${repeat}/${repeats} took ${fixed((wallNowMs() - started) / 1000, 1)} s`,
    );
  }
  return comparisons;
}

const meanOf = (values: number[]) => summarize(values).mean;

export function formatTokenStream(comparisons: StreamComparison[], tokens: number): string {
  const figuresOf = (c: StreamComparison) => ({
    alone: c.aloneLastMs,
    direct: c.directLastMs,
    sse: c.sseLastMs,
    ratio: c.sseLastMs / c.directLastMs,
    added: c.sseLastMs - c.directLastMs,
    addedPerToken: (c.sseLastMs - c.directLastMs) / tokens,
    meanLag: meanOf(c.lagMs),
    p99Lag: summarize(c.lagMs).p99,
    worker: meanOf(c.workerPartMs),
    api: meanOf(c.apiPartMs),
    events: c.textDeltaEvents,
  });
  type Figures = ReturnType<typeof figuresOf>;
  const perRepeat = comparisons.map(figuresOf);
  const medians = Object.fromEntries(
    Object.keys(perRepeat[0] ?? {}).map((key) => [
      key,
      median(perRepeat.map((f) => f[key as keyof Figures])),
    ]),
  ) as Figures;
  const row = (label: string, f: Figures) => [
    label,
    fixed(f.alone),
    fixed(f.direct),
    fixed(f.sse),
    `${fixed(f.ratio, 3)}×`,
    fixed(f.added),
    fixed(f.addedPerToken, 2),
    fixed(f.meanLag),
    fixed(f.p99Lag),
    fixed(f.worker),
    fixed(f.api),
    fixed(f.events, 0),
  ];
  const table = formatTable(
    [
      "repeat",
      "stand-in alone: last token ms",
      "run, read directly: last token ms",
      "run, SSE client: last token ms",
      "ratio",
      "added to last token ms",
      "added ÷ tokens ms",
      "mean lag/token ms",
      "p99 lag ms",
      "worker part ms",
      "API part ms",
      "text.delta events",
    ],
    [
      ...perRepeat.map((f, i) => row(String(i + 1), f)),
      ...(perRepeat.length > 1 ? [row("median", medians)] : []),
    ],
  );
  const verdict = (value: number) => (value < ADDED_PER_TOKEN_TARGET_MS ? "meets" : "misses");
  const notes = comparisons.flatMap((c, i) =>
    c.mismatch ? [`warning: repeat ${i + 1}: ${c.mismatch}`] : [],
  );
  return [
    table,
    "",
    'Times are ms after the worker\'s model request. "read directly" is a fetch reader of the run\'s own model stream (a pass-through in front of the stand-in); "SSE client" reads GET /api/runs/{id}/events. lag = SSE arrival − the same token read directly; worker part = text.delta createdAt − read directly (ms resolution); API part = SSE arrival − createdAt. "stand-in alone" is a separate stream with no run, for the model\'s own pace.',
    ...notes,
    `added latency per token, (SSE − direct) last token ÷ ${tokens} tokens: ${fixed(medians.addedPerToken, 2)} ms; ${verdict(medians.addedPerToken)} the < ${ADDED_PER_TOKEN_TARGET_MS} ms target`,
    `mean lag per token: ${fixed(medians.meanLag)} ms (worker ${fixed(medians.worker)} ms + API ${fixed(medians.api)} ms); ${verdict(medians.meanLag)} the < ${ADDED_PER_TOKEN_TARGET_MS} ms target`,
  ].join("\n");
}
