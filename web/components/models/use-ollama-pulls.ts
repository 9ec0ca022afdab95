"use client";
import { type AgentOsClient, ApiError, type OllamaPull } from "@agentos/client";
import { useCallback, useEffect, useRef, useState } from "react";
import { interruptedPull, isPullActive, mergePull, pullsToShow } from "../../lib/ollama-pulls";

/** How long to wait before following a pull again after its event stream broke. */
const RECONNECT_MS = 1000;

const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

/** Resolves after `ms`, or at once when `signal` aborts. */
const delay = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export interface OllamaPulls {
  /** The pulls shown: running ones first, then failed or cancelled ones not dismissed. */
  pulls: OllamaPull[];
  /** Why the list of pulls could not be loaded (the page still works for new pulls). */
  loadError: unknown;
  /** Starts pulling a model (or joins its running pull); throws the API's problem. */
  start(model: string): Promise<OllamaPull>;
  cancel(id: string): Promise<void>;
  dismiss(id: string): void;
}

/**
 * The pulls of the worker's Ollama, kept live. The pulls live on the worker, so a reloaded page
 * lists them (`GET /api/ollama/pulls`) and follows each running one again over SSE: the stream
 * opens with the pull's current snapshot, so the bar carries on where it is. `onFinished` runs
 * once per pull this page saw end (to reload the model list).
 */
export function useOllamaPulls(
  client: AgentOsClient,
  enabled: boolean,
  onFinished: (pull: OllamaPull) => void,
): OllamaPulls {
  const [pulls, setPulls] = useState<OllamaPull[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [watched, setWatched] = useState<ReadonlySet<string>>(new Set());
  const followed = useRef(new Map<string, AbortController>());
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;

  const show = useCallback((snapshot: OllamaPull) => setPulls((shown) => mergePull(shown, snapshot)), []);

  const follow = useCallback(
    (id: string) => {
      if (followed.current.has(id)) return;
      const controller = new AbortController();
      followed.current.set(id, controller);
      setWatched((w) => new Set([...w, id]));
      void (async () => {
        const { signal } = controller;
        let last: OllamaPull | null = null;
        let isGone = false;
        while (!signal.aborted) {
          try {
            for await (const snapshot of client.ollama.followPull(id, signal)) {
              last = snapshot;
              show(snapshot);
            }
            if (!last || !isPullActive(last)) break;
          } catch (error) {
            if (signal.aborted) break;
            if (isNotFound(error)) {
              isGone = true;
              break;
            }
            // The stream broke (the API restarted, the network blinked): ask where the pull is.
            const now = await client.ollama.getPull(id).catch((e: unknown) => {
              isGone = isNotFound(e);
              return null;
            });
            if (isGone) break;
            if (now) {
              last = now;
              show(now);
              if (!isPullActive(now)) break;
            }
          }
          await delay(RECONNECT_MS, signal);
        }
        if (followed.current.get(id) === controller) followed.current.delete(id);
        if (signal.aborted) return;
        // The worker forgot the pull (it restarted, or another worker answers): say so, offer a retry.
        if (isGone) setPulls((shown) => shown.map((p) => (p.id === id ? interruptedPull(p) : p)));
        else if (last && !isPullActive(last)) finishedRef.current(last);
      })();
    },
    [client, show],
  );

  useEffect(() => {
    if (!enabled) return;
    let isCurrent = true;
    client.ollama
      .pulls()
      .then(({ items }) => {
        if (!isCurrent) return;
        setLoadError(null);
        for (const pull of items) show(pull);
        for (const pull of items.filter(isPullActive)) follow(pull.id);
      })
      .catch((error: unknown) => isCurrent && setLoadError(error));
    return () => {
      isCurrent = false;
    };
  }, [client, enabled, follow, show]);

  // Stop following when the page goes away.
  useEffect(() => {
    const streams = followed.current;
    return () => {
      for (const controller of streams.values()) controller.abort();
      streams.clear();
    };
  }, []);

  return {
    pulls: pullsToShow(pulls, { dismissed, watched }),
    loadError,
    async start(model) {
      const pull = await client.ollama.pull(model);
      setDismissed((d) => new Set([...d].filter((id) => id !== pull.id)));
      setWatched((w) => new Set([...w, pull.id]));
      show(pull);
      if (isPullActive(pull)) follow(pull.id);
      else onFinished(pull);
      return pull;
    },
    async cancel(id) {
      show(await client.ollama.cancelPull(id));
    },
    dismiss(id) {
      setDismissed((d) => new Set([...d, id]));
    },
  };
}
