import { isFinalRunStatus, type RunEvent } from "@agentos/core";
import type { Repositories } from "@agentos/db";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";

const POLL_MS = 100;
const HEARTBEAT_MS = 15_000;
const BATCH = 500;

/**
 * Follows a run's events from `afterSeq` until the run is final and every event was read,
 * calling `deliver` for each in order. Events live in libSQL (written by whichever process runs
 * the run): this re-reads when a commit lands (or every POLL_MS); `isClosed` stops it when the
 * client went away.
 */
export async function followRunEvents(
  repos: Repositories,
  run: { id: string; workspaceId: string },
  afterSeq: number,
  deliver: (event: RunEvent) => Promise<void>,
  isClosed: () => boolean,
  onIdle?: () => Promise<void>,
): Promise<void> {
  let last = afterSeq;
  let idleSince = Date.now();
  /** Delivers every event there is after `last`, batch by batch; says how many and whether a status changed. */
  const drain = async () => {
    let count = 0;
    let sawStatus = false;
    for (;;) {
      const events = await repos.runEvents.list(run.workspaceId, run.id, last, BATCH);
      for (const event of events) {
        await deliver(event);
        last = event.seq;
        sawStatus ||= event.type === "status";
      }
      count += events.length;
      if (events.length < BATCH || isClosed()) return { count, sawStatus };
    }
  };
  while (!isClosed()) {
    // Taken before the read: a commit landing after it wakes the wait below at once.
    const seen = repos.changes.generation();
    const { count, sawStatus } = await drain();
    if (count > 0) idleSince = Date.now();
    // Is the run over? Asked when nothing new came or a status changed; while other events flow,
    // a final status is a commit that wakes the next round, which asks then.
    if (count === 0 || sawStatus) {
      const current = await repos.runs.findRow(run.workspaceId, run.id);
      if (!current || isFinalRunStatus(current.status)) {
        // Events written just before the final status must not be lost.
        await drain();
        return;
      }
    }
    if (onIdle && Date.now() - idleSince > HEARTBEAT_MS) {
      await onIdle();
      idleSince = Date.now();
    }
    // Woken by the next commit to the database file (any process), else after POLL_MS.
    await repos.changes.next(POLL_MS, seen);
  }
}

/** `GET /api/runs/:id/events` as Server-Sent Events; `Last-Event-ID` (or `?after=`) resumes. */
export function streamRunEvents(
  c: Context,
  repos: Repositories,
  run: { id: string; workspaceId: string },
  after: number,
) {
  const header = c.req.header("last-event-id");
  const resumeFrom = header && /^\d+$/.test(header) ? Number(header) : after;
  return streamSSE(c, async (stream) => {
    let closed = false;
    stream.onAbort(() => {
      closed = true;
    });
    await followRunEvents(
      repos,
      run,
      resumeFrom,
      (event) =>
        stream.writeSSE({
          id: String(event.seq),
          event: event.type,
          data: JSON.stringify({
            seq: event.seq,
            type: event.type,
            payload: event.payload,
            createdAt: event.createdAt,
          }),
        }),
      () => closed,
      () => stream.write(": keep-alive\n\n").then(() => {}),
    );
    if (!closed) await stream.writeSSE({ event: "end", data: "{}" });
  });
}
