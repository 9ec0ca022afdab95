/**
 * A loopback stand-in for an Ollama server. Ollama itself and its model registry cannot run here
 * (no GPU runtime, no registry reachable), so tests talk to this server, which speaks Ollama's real
 * wire format as the recordings and the Ollama source show it (see fixtures/SOURCES.md):
 *
 * - `POST /api/pull`: `application/x-ndjson`, `pulling manifest`, then per layer (one after another)
 *   `pulling <digest[7:19]>` with `digest`, `total` and `completed` (left out while 0) every 60 ms,
 *   then `verifying sha256 digest`, `writing manifest`, `success`. Failures after the first line are
 *   `{"error":…}` lines inside the 200 stream: a name missing from the registry
 *   (`pull model manifest: file does not exist`) and a full disk (`… no space left on device`). A
 *   pull cut off keeps its partial blob; the next pull of it starts at the bytes already on disk.
 * - `GET /api/tags`, `POST /api/show`, `GET /api/ps`, `DELETE /api/delete`, `GET /api/version`,
 *   `POST /api/chat` (NDJSON stream or one JSON answer, with `prompt_eval_count`/`eval_count`).
 *
 * It runs inside tests (`startOllamaStandin`) and, unchanged, as the process of the Docker image
 * `build.sh` makes (`node server.ts`: Node 24 strips the types), so it imports only `node:*`.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export interface StandinLayer {
  digest: string;
  size: number;
}

export interface StandinDetails {
  parent_model: string;
  format: string;
  family: string;
  families: string[];
  parameter_size: string;
  quantization_level: string;
}

/** A model the stand-in's "registry" can pull. */
export interface RegistryModel {
  layers: StandinLayer[];
  details: StandinDetails;
}

/** One entry of `/api/tags`, as Ollama answers it. */
export interface InstalledModel {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
  details: StandinDetails;
}

export interface OllamaStandinOptions {
  port?: number;
  host?: string;
  /** Models installed at start; default those of the recorded `/api/tags`. */
  installed?: InstalledModel[];
  /** Pullable models by name; default `DEFAULT_REGISTRY`. */
  registry?: Record<string, RegistryModel>;
  /** Simulated download speed; default 800 MB/s. */
  bytesPerSecond?: number;
  /** Interval of progress lines; Ollama's ticker is 60 ms. */
  tickMs?: number;
  /** Free space for blobs; a download that needs more fails with ENOSPC. Default unlimited. */
  diskFreeBytes?: number;
  /** Pieces of every chat reply; default those of the recorded phi3 stream. */
  reply?: string[];
  /** Keeps installed models and blobs in this JSON file (the container's volume). */
  statePath?: string;
}

export interface StandinRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface OllamaStandin {
  /** Root URL, e.g. http://127.0.0.1:41234 (what OLLAMA_HOST names). */
  url: string;
  port: number;
  requests: StandinRequest[];
  installedNames(): string[];
  /** Bytes of a blob downloaded so far by pulls that did not finish (0 when none or complete). */
  partialBytes(digest: string): number;
  /** Pulls stop advancing when a blob reaches `bytes` (they keep sending lines, as Ollama does). */
  holdAt(bytes: number | null): void;
  /** Cuts every open pull stream, as a crash or a broken connection would. */
  dropPulls(): void;
  setDiskFree(bytes: number): void;
  /** Pull streams currently open. */
  openPulls(): number;
  close(): Promise<void>;
}

const FIXTURES = join(import.meta.dirname, "fixtures");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const MB = 1_000_000;

const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

/** Layers of the constructed pull recording (pull-stream.constructed.ndjson), in its order. */
function recordedPullLayers(): StandinLayer[] {
  const layers = new Map<string, number>();
  for (const line of fixture("pull-stream.constructed.ndjson").trim().split("\n")) {
    const value = JSON.parse(line) as { digest?: string; total?: number };
    if (value.digest && value.total) layers.set(value.digest, value.total);
  }
  return [...layers].map(([digest, size]) => ({ digest, size }));
}

const details = (family: string, parameterSize: string, quantization: string): StandinDetails => ({
  parent_model: "",
  format: "gguf",
  family,
  families: [family],
  parameter_size: parameterSize,
  quantization_level: quantization,
});

/** What the stand-in's registry offers: the recorded layers, and a small three-layer model. */
export const DEFAULT_REGISTRY: Record<string, RegistryModel> = {
  "llama3.2:1b": { layers: recordedPullLayers(), details: details("llama", "1.2B", "Q8_0") },
  "smollm2:135m": {
    layers: [
      { digest: sha256("smollm2:135m model"), size: 270 * MB },
      { digest: sha256("smollm2:135m template"), size: 1_580 },
      { digest: sha256("smollm2:135m params"), size: 120 },
    ],
    details: details("llama", "134.52M", "F16"),
  },
};

/** The installed models of the recorded `/api/tags` answer. */
export function recordedTags(): InstalledModel[] {
  return (JSON.parse(fixture("tags.recorded-jq.body")) as { models: InstalledModel[] }).models;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*){0,2}(:[A-Za-z0-9_][A-Za-z0-9._-]*)?$/;

/** `llama3.2` means `llama3.2:latest`, as Ollama resolves it. */
const withTag = (name: string) => (/:[^/]+$/.test(name) ? name : `${name}:latest`);

interface PersistedState {
  installed: InstalledModel[];
  blobs: string[];
  partials: Record<string, number>;
}

/** Starts the stand-in on loopback (an ephemeral port unless `port` is given). */
export async function startOllamaStandin(options: OllamaStandinOptions = {}): Promise<OllamaStandin> {
  const registry = options.registry ?? DEFAULT_REGISTRY;
  const tickMs = options.tickMs ?? 60;
  const bytesPerTick = Math.max(1, Math.round(((options.bytesPerSecond ?? 800 * MB) * tickMs) / 1000));
  const recordedChat = fixture("chat-stream.ndjson").trim().split("\n");
  const recordedDone = JSON.parse(recordedChat.at(-1) ?? "{}") as Record<string, unknown>;
  const reply =
    options.reply ??
    recordedChat
      .map((line) => (JSON.parse(line) as { message: { content: string } }).message.content)
      .filter(Boolean);
  const showTemplate = JSON.parse(fixture("show.recorded-jq.body")) as Record<string, unknown>;

  const saved =
    options.statePath && existsSync(options.statePath)
      ? (JSON.parse(readFileSync(options.statePath, "utf8")) as PersistedState)
      : null;
  const installed = new Map<string, InstalledModel>(
    (saved?.installed ?? options.installed ?? recordedTags()).map((m) => [m.name, m]),
  );
  const blobs = new Set<string>(saved?.blobs ?? []);
  const partials = new Map<string, number>(Object.entries(saved?.partials ?? {}));
  const loaded = new Map<string, number>();
  let diskFree = options.diskFreeBytes ?? Number.POSITIVE_INFINITY;
  let hold: number | null = null;
  const pulls = new Set<ServerResponse>();
  const requests: StandinRequest[] = [];

  const persist = () => {
    if (!options.statePath) return;
    const state: PersistedState = {
      installed: [...installed.values()],
      blobs: [...blobs],
      partials: Object.fromEntries(partials),
    };
    writeFileSync(options.statePath, JSON.stringify(state));
  };

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: ServerResponse, name: string) =>
    sendJson(res, 404, { error: `model '${name}' not found` });
  const writeLine = (res: ServerResponse, value: unknown) => {
    if (!res.destroyed) res.write(`${JSON.stringify(value)}\n`);
  };
  const tick = () => new Promise((resolve) => setTimeout(resolve, tickMs));

  async function pull(res: ServerResponse, requested: string) {
    const name = withTag(requested);
    pulls.add(res);
    res.once("close", () => pulls.delete(res));
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    writeLine(res, { status: "pulling manifest" });
    await tick();
    const manifest = registry[name] ?? registry[requested];
    if (!manifest) {
      writeLine(res, { error: "pull model manifest: file does not exist" });
      return res.end();
    }
    for (const layer of manifest.layers) {
      const status = `pulling ${layer.digest.slice(7, 19)}`;
      const line = (completed: number) => ({
        status,
        digest: layer.digest,
        total: layer.size,
        ...(completed > 0 ? { completed } : {}),
      });
      if (blobs.has(layer.digest)) {
        writeLine(res, line(layer.size));
        continue;
      }
      let done = partials.get(layer.digest) ?? 0;
      writeLine(res, line(done));
      while (done < layer.size) {
        await tick();
        // The client went away: Ollama cancels the download and keeps the partial blob.
        if (res.destroyed) return persist();
        const limit = hold !== null && hold > done ? hold : hold === null ? layer.size : done;
        const step = Math.min(bytesPerTick, layer.size - done, limit - done);
        if (step > diskFree) {
          done += diskFree;
          diskFree = 0;
          partials.set(layer.digest, done);
          persist();
          const path = `/root/.ollama/models/blobs/${layer.digest.replace(":", "-")}-partial`;
          writeLine(res, { error: `write ${path}: no space left on device` });
          return res.end();
        }
        done += step;
        diskFree -= step;
        partials.set(layer.digest, done);
        writeLine(res, line(done));
      }
      partials.delete(layer.digest);
      blobs.add(layer.digest);
    }
    writeLine(res, { status: "verifying sha256 digest" });
    writeLine(res, { status: "writing manifest" });
    installed.set(name, {
      name,
      model: name,
      modified_at: new Date().toISOString(),
      size: manifest.layers.reduce((sum, l) => sum + l.size, 0),
      digest: sha256(manifest.layers.map((l) => l.digest).join(",")).slice(7),
      details: manifest.details,
    });
    persist();
    writeLine(res, { status: "success" });
    res.end();
  }

  async function chat(res: ServerResponse, body: Record<string, unknown>) {
    const name = String(body.model ?? "");
    const model = installed.get(name) ?? installed.get(withTag(name));
    if (!model) return sendJson(res, 404, { error: `model "${name}" not found, try pulling it first` });
    loaded.set(model.name, Date.now() + 5 * 60_000);
    const createdAt = () => new Date().toISOString();
    const done = { ...recordedDone, model: name, created_at: createdAt() };
    if (body.stream === false) {
      return sendJson(res, 200, { ...done, message: { role: "assistant", content: reply.join("") } });
    }
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    for (const content of reply) {
      writeLine(res, {
        model: name,
        created_at: createdAt(),
        message: { role: "assistant", content },
        done: false,
      });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    writeLine(res, { ...done, message: { role: "assistant", content: "" } });
    res.end();
  }

  function removeModel(name: string) {
    const model = installed.get(name) ?? installed.get(withTag(name));
    if (!model) return false;
    installed.delete(model.name);
    loaded.delete(model.name);
    const stillUsed = new Set<string>();
    for (const other of installed.values()) {
      for (const layer of registry[other.name]?.layers ?? []) stillUsed.add(layer.digest);
    }
    for (const layer of registry[model.name]?.layers ?? []) {
      if (!stillUsed.has(layer.digest) && blobs.delete(layer.digest)) diskFree += layer.size;
    }
    persist();
    return true;
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://standin").pathname;
    let text = "";
    for await (const chunk of req) text += chunk;
    let body: Record<string, unknown> = {};
    if (text) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, { error: "invalid character in request body" });
      }
    }
    requests.push({ method: req.method ?? "GET", path, body });
    const name = String(body.model ?? body.name ?? "");
    const key = `${req.method} ${path}`;
    if (path === "/" && (req.method === "GET" || req.method === "HEAD")) {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      return res.end("Ollama is running");
    }
    if (key === "GET /api/version") return sendJson(res, 200, { version: "0.12.6" });
    if (key === "GET /api/tags") return sendJson(res, 200, { models: [...installed.values()] });
    if (key === "GET /api/ps") {
      const now = Date.now();
      const models = [...loaded]
        .filter(([, expires]) => expires > now)
        .flatMap(([loadedName, expires]) => {
          const model = installed.get(loadedName);
          if (!model) return [];
          return [
            {
              name: model.name,
              model: model.model,
              size: model.size + 268_435_456,
              digest: model.digest,
              details: model.details,
              expires_at: new Date(expires).toISOString(),
              size_vram: 0,
              context_length: 4096,
            },
          ];
        });
      return sendJson(res, 200, { models });
    }
    if (key === "POST /api/show") {
      const model = installed.get(name) ?? installed.get(withTag(name));
      if (!model) return notFound(res, name);
      return sendJson(res, 200, { ...showTemplate, details: model.details, modified_at: model.modified_at });
    }
    if (key === "DELETE /api/delete") {
      if (!NAME.test(name)) return sendJson(res, 400, { error: "invalid model name" });
      if (!removeModel(name)) return notFound(res, name);
      res.writeHead(200);
      return res.end();
    }
    if (key === "POST /api/pull") {
      if (!NAME.test(name)) return sendJson(res, 400, { error: "invalid model name" });
      return pull(res, name);
    }
    if (key === "POST /api/chat") return chat(res, body);
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("404 page not found");
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: error.message });
      else res.destroy(error);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    installedNames: () => [...installed.keys()],
    partialBytes: (digest) => partials.get(digest) ?? 0,
    holdAt(bytes) {
      hold = bytes;
    },
    dropPulls() {
      for (const res of pulls) res.socket?.destroy();
    },
    setDiskFree(bytes) {
      diskFree = bytes;
    },
    openPulls: () => pulls.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of pulls) res.socket?.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// As the process of the stand-in image: listens where OLLAMA_HOST says (the image sets
// 0.0.0.0:11434, as ollama/ollama does) and keeps its state in the models volume.
if (import.meta.main) {
  const [host = "127.0.0.1", port = "11434"] = (process.env.OLLAMA_HOST ?? "127.0.0.1:11434").split(":");
  const standin = await startOllamaStandin({
    host,
    port: Number(port),
    ...(process.env.OLLAMA_STANDIN_STATE ? { statePath: process.env.OLLAMA_STANDIN_STATE } : {}),
    ...(process.env.OLLAMA_STANDIN_BYTES_PER_SECOND
      ? { bytesPerSecond: Number(process.env.OLLAMA_STANDIN_BYTES_PER_SECOND) }
      : {}),
  });
  console.log(`Listening on ${host}:${standin.port} (version 0.12.6, ollama stand-in)`);
  // PID 1 in a container gets no default SIGTERM handler: stop when Docker asks.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => void standin.close().then(() => process.exit(0)));
  }
}
