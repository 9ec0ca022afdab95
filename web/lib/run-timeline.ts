import type { RunEvent, RunStatus } from "@agentos/core";

/** One entry of a run's timeline, built from its events in seq order. */
export type TimelineItem =
  | {
      kind: "status";
      seq: number;
      at: string;
      status: RunStatus;
      error: { code?: string; message?: string } | null;
    }
  | {
      kind: "llm";
      seq: number;
      at: string;
      step: string;
      model: string | null;
      text: string;
      isOpen: boolean;
      usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number; costUsd: number } | null;
      finishReason: string | null;
      endedAt: string | null;
    }
  | {
      kind: "tool";
      seq: number;
      at: string;
      toolCallId: string | null;
      toolName: string;
      node: string | null;
      input: unknown;
      output: unknown;
      isError: boolean;
      isDone: boolean;
      durationMs: number | null;
    }
  | { kind: "log"; seq: number; at: string; message: string; source: string | null }
  | {
      kind: "approval";
      seq: number;
      at: string;
      node: string | null;
      message: string;
      input: unknown;
      decision: { approved: boolean; comment: string } | null;
    };

export interface Timeline {
  items: TimelineItem[];
  /** Highest seq folded in; resume the event stream after it. */
  lastSeq: number;
  /** The last status event's status, if any. */
  status: RunStatus | null;
}

export const EMPTY_TIMELINE: Timeline = { items: [], lastSeq: 0, status: null };

type Payload = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number => (typeof v === "number" ? v : 0);

/**
 * Folds events into the timeline. Pure and idempotent per seq: an event at or below `lastSeq` is
 * ignored, so a replayed or overlapping stream cannot duplicate entries.
 */
export function foldRunEvents(timeline: Timeline, events: readonly RunEvent[]): Timeline {
  let { items, lastSeq, status } = timeline;
  items = [...items];
  const replace = (index: number, item: TimelineItem) => {
    items[index] = item;
  };
  const findLast = (match: (item: TimelineItem) => boolean) => {
    for (let i = items.length - 1; i >= 0; i--) if (match(items[i]!)) return i;
    return -1;
  };
  const openLlm = (step: string) => findLast((i) => i.kind === "llm" && i.step === step);

  for (const event of events) {
    if (event.seq <= lastSeq) continue;
    lastSeq = event.seq;
    const p = (event.payload ?? {}) as Payload;
    const at = event.createdAt;
    switch (event.type) {
      case "status": {
        status = p.status as RunStatus;
        items.push({
          kind: "status",
          seq: event.seq,
          at,
          status,
          error: (p.error as { message?: string }) ?? null,
        });
        break;
      }
      case "step.start": {
        if (p.kind !== "llm") break;
        items.push({
          kind: "llm",
          seq: event.seq,
          at,
          step: String(p.step ?? ""),
          model: str(p.model),
          text: "",
          isOpen: true,
          usage: null,
          finishReason: null,
          endedAt: null,
        });
        break;
      }
      case "text.delta": {
        const step = String(p.step ?? "");
        const index = openLlm(step);
        const item = items[index];
        if (item?.kind === "llm") replace(index, { ...item, text: item.text + String(p.text ?? "") });
        else
          items.push({
            kind: "llm",
            seq: event.seq,
            at,
            step,
            model: null,
            text: String(p.text ?? ""),
            isOpen: true,
            usage: null,
            finishReason: null,
            endedAt: null,
          });
        break;
      }
      case "usage": {
        const index = openLlm(String(p.step ?? ""));
        const item = items[index];
        if (item?.kind === "llm") {
          replace(index, {
            ...item,
            model: item.model ?? str(p.model),
            usage: {
              inputTokens: num(p.inputTokens),
              outputTokens: num(p.outputTokens),
              cachedInputTokens: num(p.cachedInputTokens),
              costUsd: num(p.costUsd),
            },
          });
        }
        break;
      }
      case "step.end": {
        if (p.kind !== "llm") break;
        const index = openLlm(String(p.step ?? ""));
        const item = items[index];
        if (item?.kind === "llm")
          replace(index, { ...item, isOpen: false, finishReason: str(p.finishReason), endedAt: at });
        break;
      }
      case "tool.call": {
        items.push({
          kind: "tool",
          seq: event.seq,
          at,
          toolCallId: str(p.toolCallId),
          toolName: String(p.toolName ?? "tool"),
          node: str(p.node),
          input: p.input ?? null,
          output: undefined,
          isError: false,
          isDone: false,
          durationMs: null,
        });
        break;
      }
      case "tool.result": {
        const callId = str(p.toolCallId);
        const node = str(p.node);
        const index = findLast(
          (i) =>
            i.kind === "tool" &&
            !i.isDone &&
            (callId
              ? i.toolCallId === callId
              : i.node === node && i.toolName === String(p.toolName ?? i.toolName)),
        );
        const item = items[index];
        const durationMs =
          typeof p.durationMs === "number"
            ? p.durationMs
            : item
              ? Math.max(0, Date.parse(at) - Date.parse(item.at))
              : null;
        const done = { output: p.output ?? null, isError: p.isError === true, isDone: true, durationMs };
        if (item?.kind === "tool") replace(index, { ...item, ...done });
        else
          items.push({
            kind: "tool",
            seq: event.seq,
            at,
            toolCallId: callId,
            toolName: String(p.toolName ?? "tool"),
            node,
            input: null,
            ...done,
          });
        break;
      }
      case "log": {
        items.push({
          kind: "log",
          seq: event.seq,
          at,
          message: String(p.message ?? ""),
          source: str(p.node) ?? str(p.toolCallId),
        });
        break;
      }
      case "approval.requested": {
        items.push({
          kind: "approval",
          seq: event.seq,
          at,
          node: str(p.node),
          message: String(p.message ?? "Approve to continue"),
          input: p.input ?? null,
          decision: null,
        });
        break;
      }
      case "approval.resolved": {
        const step = String(p.step ?? "");
        const node = /^node-(.+):decision$/.exec(step)?.[1] ?? null;
        const index = findLast(
          (i) => i.kind === "approval" && i.decision === null && (node === null || i.node === node),
        );
        const item = items[index];
        if (item?.kind === "approval")
          replace(index, {
            ...item,
            decision: { approved: p.approved === true, comment: String(p.comment ?? "") },
          });
        break;
      }
    }
  }
  return { items, lastSeq, status };
}
