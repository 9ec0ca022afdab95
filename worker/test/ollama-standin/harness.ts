import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type OllamaPull, parseServerSentEvents } from "@agentos/client";
import { DEFAULT_REGISTRY, type RegistryModel } from "./server";

/** A pull snapshot with the moment this process received it. */
export interface ReceivedPull {
  pull: OllamaPull;
  at: number;
}

/** An SSE reader of a pull's events, recording each snapshot with its arrival time. */
export interface PullFollower {
  events: ReceivedPull[];
  /** Resolves with every event when the stream ends (the `end` event) or is stopped. */
  done: Promise<ReceivedPull[]>;
  /** Resolves when an event satisfies `check`. */
  until(check: (pull: OllamaPull) => boolean): Promise<OllamaPull>;
  stop(): void;
}

/** Follows `GET <url>` as Server-Sent Events (a pull's event stream, on the API or a worker). */
export function followPull(url: string, headers: Record<string, string> = {}): PullFollower {
  const controller = new AbortController();
  const events: ReceivedPull[] = [];
  const waiters: Array<{ check: (pull: OllamaPull) => boolean; resolve: (pull: OllamaPull) => void }> = [];
  const done = (async () => {
    const response = await fetch(url, {
      headers: { accept: "text/event-stream", ...headers },
      signal: controller.signal,
    });
    if (!response.ok || !response.body)
      throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
    try {
      for await (const message of parseServerSentEvents(response.body)) {
        if (message.event === "end") break;
        if (message.event !== "progress") continue;
        const pull = JSON.parse(message.data) as OllamaPull;
        events.push({ pull, at: performance.now() });
        for (const waiter of waiters.filter((w) => w.check(pull))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(pull);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
    return events;
  })();
  return {
    events,
    done,
    until(check) {
      const seen = events.find((e) => check(e.pull));
      if (seen) return Promise.resolve(seen.pull);
      return new Promise((resolve, reject) => {
        waiters.push({ check, resolve });
        done.then(() => reject(new Error("the event stream ended before the condition held")), reject);
      });
    },
    stop: () => controller.abort(),
  };
}

/** The worker token the local worker generated into its data dir. */
export function workerTokenOf(dataDir: string): string {
  return readFileSync(join(dataDir, "worker.token"), "utf8").trim();
}

/** A pullable model of one big blob and two small ones (digests derived from the name). */
export function registryModel(name: string, blobBytes: number): RegistryModel {
  const digest = (part: string) => `sha256:${createHash("sha256").update(`${name}/${part}`).digest("hex")}`;
  return {
    layers: [
      { digest: digest("model"), size: blobBytes },
      { digest: digest("template"), size: 1_429 },
      { digest: digest("params"), size: 96 },
    ],
    details: {
      parent_model: "",
      format: "gguf",
      family: "llama",
      families: ["llama"],
      parameter_size: "1B",
      quantization_level: "Q4_K_M",
    },
  };
}

/** The stand-in's default registry plus models made for one test each. */
export function testRegistry(extra: Record<string, number>): Record<string, RegistryModel> {
  return {
    ...DEFAULT_REGISTRY,
    ...Object.fromEntries(Object.entries(extra).map(([name, bytes]) => [name, registryModel(name, bytes)])),
  };
}
