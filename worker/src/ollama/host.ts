import { execFile } from "node:child_process";
import { Conflict, type OllamaWorkerStatus, Unavailable } from "@agentos/core";
import { ollamaBaseUrlFromHost } from "@agentos/runtime";
import type Docker from "dockerode";
import { dockerMessageOf, dockerStatusOf } from "../sandboxes/docker";
import { managedOllamaContainer, OLLAMA_LABEL, publishedPortOf, shouldUseGpu } from "./container-spec";
import { DockerPullEvent, imagePullProgressOf, startImagePull, tallyImagePull } from "./image-pull-progress";
import { lines } from "./ndjson";
import { createOllamaApi, type OllamaApi } from "./ollama-api";

export interface OllamaHostSettings {
  /** OLLAMA_HOST: host:port or a URL; when set, nothing is detected or installed. */
  ollamaHost: string | undefined;
  /** Where a local Ollama is looked for; empty turns detection off. */
  detectUrl: string;
  image: string;
  containerName: string;
  managedPort: number;
  gpu: "auto" | "on" | "off";
  /** Host address the managed container's port is published on. */
  publishIp: string;
  /** Where this worker reaches published container ports. */
  backendHost: string;
}

export interface OllamaHostDeps {
  settings: OllamaHostSettings;
  /** The Docker engine, or null when it is not reachable. */
  docker: Docker | null;
  isDockerLocal: boolean;
  log(message: string): void;
  /** How long a started container may take to answer. Default 120 s. */
  startTimeoutMs?: number;
  hasNvidiaSmi?: () => Promise<boolean>;
}

const PROBE_TIMEOUT_MS = 1500;
const POLL_MS = 250;

/** The root URL (no /api) of an OLLAMA_HOST value, read as the ollama CLI reads it. */
export function ollamaRootUrl(host: string): string {
  return ollamaBaseUrlFromHost(host).replace(/\/api$/, "");
}

function nvidiaSmiWorks(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("nvidia-smi", ["-L"], { timeout: 3000 }, (error) => resolve(!error));
  });
}

/**
 * This worker's Ollama: the one OLLAMA_HOST names; otherwise a local one found on the default
 * port; otherwise, with Docker, the managed `ollama/ollama` container the install flow creates (image
 * pull with progress, a models volume, GPUs when present, restart unless-stopped). `status()`
 * re-checks on every call (cheap: one /api/version), so the state follows Ollama starting and
 * stopping; the install itself runs in the background and reports its phase.
 */
export class OllamaHost {
  private current: OllamaWorkerStatus;
  private refreshing: Promise<OllamaWorkerStatus> | null = null;
  private installing: Promise<void> | null = null;
  /** Why the last install failed; reported instead of not_installed until the next install. */
  private installFailure: string | null = null;
  private readonly apis = new Map<string, OllamaApi>();

  constructor(private readonly deps: OllamaHostDeps) {
    this.current = this.statusOf({ state: "not_installed", reason: "Not checked yet." });
  }

  /** Whether this worker can offer Ollama at all (advertised as `capabilities.ollama`). */
  get isOffered(): boolean {
    return (
      Boolean(this.deps.settings.ollamaHost) || this.deps.docker !== null || this.current.state === "ready"
    );
  }

  /** The first check, at worker start. */
  async init(): Promise<OllamaWorkerStatus> {
    return this.status();
  }

  /** The current state, re-checked (one check at a time; during an install, the install's phase). */
  async status(): Promise<OllamaWorkerStatus> {
    if (this.installing) return this.current;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** The client of the Ollama in use; throws with the reason when there is none. */
  async api(): Promise<OllamaApi> {
    const status = this.current.state === "ready" ? this.current : await this.status();
    if (!status.baseUrl || (status.state !== "ready" && status.state !== "error")) {
      throw new Unavailable(
        `Ollama is not ready on this worker (${status.state.replace("_", " ")}): ${status.reason ?? "wait for the install to finish"}`,
      );
    }
    let api = this.apis.get(status.baseUrl);
    if (!api) {
      api = createOllamaApi(status.baseUrl);
      this.apis.set(status.baseUrl, api);
    }
    return api;
  }

  /**
   * Starts the install flow (or starts the stopped managed container) and answers at once with the
   * `installing` state; `status()` follows it. Answers the current state when Ollama already runs.
   */
  async install(): Promise<OllamaWorkerStatus> {
    if (this.installing) return this.current;
    const status = await this.status();
    // Another install request may have started while this one waited for the check.
    if (this.installing) return this.current;
    if (status.state === "ready" || status.state === "starting") return status;
    const { settings, docker } = this.deps;
    if (settings.ollamaHost) {
      throw new Conflict(
        `OLLAMA_HOST is set (${settings.ollamaHost}), so this worker uses that Ollama and installs none. ${status.reason ?? ""}`.trim(),
      );
    }
    if (!docker) {
      throw new Unavailable(
        "Docker is not available on this worker, so Ollama cannot run as a managed container. Install Ollama from https://ollama.com/download (the worker finds it on 127.0.0.1:11434), or start dockerd and install again.",
      );
    }
    this.installFailure = null;
    this.set(
      this.statusOf({
        state: "installing",
        source: "managed",
        install: { phase: "pulling_image", image: null },
      }),
    );
    this.installing = this.runInstall(docker)
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.installFailure = reason;
        this.set(this.statusOf({ state: "error", source: "managed", reason }));
      })
      .finally(() => {
        this.installing = null;
      });
    return this.current;
  }

  private async refresh(): Promise<OllamaWorkerStatus> {
    const { settings } = this.deps;
    if (settings.ollamaHost) {
      const baseUrl = ollamaRootUrl(settings.ollamaHost);
      const probe = await this.probe(baseUrl);
      return this.set(
        probe.ok
          ? this.statusOf({ state: "ready", source: "env", baseUrl, version: probe.version })
          : this.statusOf({ state: "error", source: "env", baseUrl, reason: probe.reason }),
      );
    }
    // The managed container first: when it exists, it is what the install made (it may also
    // answer on the default port, which is not a second Ollama).
    const managed = await this.inspectManaged();
    if (managed) return this.set(await this.managedStatus(managed));
    if (settings.detectUrl) {
      const probe = await this.probe(settings.detectUrl);
      if (probe.ok) {
        const baseUrl = settings.detectUrl.replace(/\/+$/, "");
        return this.set(
          this.statusOf({ state: "ready", source: "detected", baseUrl, version: probe.version }),
        );
      }
    }
    if (this.installFailure) {
      return this.set(this.statusOf({ state: "error", source: "managed", reason: this.installFailure }));
    }
    return this.set(
      this.statusOf({
        state: "not_installed",
        reason: this.deps.docker
          ? `No Ollama answers${settings.detectUrl ? ` on ${settings.detectUrl}` : ""}. POST /api/ollama/install runs it as a Docker container (${settings.image}), or install it from https://ollama.com/download.`
          : "No Ollama answers and Docker is not available: install Ollama from https://ollama.com/download, or set OLLAMA_HOST to a running one.",
      }),
    );
  }

  private async managedStatus(inspect: Docker.ContainerInspectInfo): Promise<OllamaWorkerStatus> {
    const { settings } = this.deps;
    const gpu = (inspect.HostConfig?.DeviceRequests?.length ?? 0) > 0;
    const baseUrl = `http://${settings.backendHost}:${publishedPortOf(inspect) ?? settings.managedPort}`;
    const base = { source: "managed" as const, baseUrl, gpu, container: settings.containerName };
    if (!inspect.State.Running) {
      return this.statusOf({
        ...base,
        state: "error",
        reason: `The managed Ollama container ${settings.containerName} is ${inspect.State.Status} (exit code ${inspect.State.ExitCode}). POST /api/ollama/install starts it again.`,
      });
    }
    const probe = await this.probe(baseUrl);
    if (probe.ok) return this.statusOf({ ...base, state: "ready", version: probe.version });
    const startedMs = Date.parse(inspect.State.StartedAt);
    const isWarmingUp = Date.now() - startedMs < (this.deps.startTimeoutMs ?? 120_000);
    return this.statusOf({ ...base, state: isWarmingUp ? "starting" : "error", reason: probe.reason });
  }

  private async runInstall(docker: Docker): Promise<void> {
    const { settings } = this.deps;
    const container = docker.getContainer(settings.containerName);
    let existing = await this.inspectManaged();
    if (!existing) {
      if (!(await imageExists(docker, settings.image))) await this.pullImage(docker, settings.image);
      this.set({
        ...this.current,
        install: { phase: "creating", image: this.current.install?.image ?? null },
      });
      const hasGpu = shouldUseGpu(settings.gpu, {
        dockerRuntimes: Object.keys(((await docker.info()) as { Runtimes?: object }).Runtimes ?? {}),
        isDockerLocal: this.deps.isDockerLocal,
        hasNvidiaSmi: settings.gpu === "auto" && (await (this.deps.hasNvidiaSmi ?? nvidiaSmiWorks)()),
      });
      const volume = `${settings.containerName}-models`;
      await docker.createVolume({ Name: volume, Labels: { [OLLAMA_LABEL]: "true" } });
      await docker.createContainer(
        managedOllamaContainer({
          image: settings.image,
          name: settings.containerName,
          volume,
          publishIp: settings.publishIp,
          hostPort: settings.managedPort,
          hasGpu,
        }),
      );
      this.deps.log(
        `ollama: created container ${settings.containerName} (${settings.image}, gpu: ${hasGpu})`,
      );
      existing = await container.inspect();
    }
    this.set({
      ...this.current,
      gpu: (existing.HostConfig?.DeviceRequests?.length ?? 0) > 0,
      install: { phase: "starting", image: this.current.install?.image ?? null },
    });
    if (!existing.State.Running) {
      try {
        await container.start();
      } catch (error) {
        if (dockerStatusOf(error) !== 304) throw await this.startFailure(error, existing);
      }
    }
    const deadline = Date.now() + (this.deps.startTimeoutMs ?? 120_000);
    for (;;) {
      const inspect = await container.inspect();
      if (!inspect.State.Running) {
        throw new Error(
          `The Ollama container ${settings.containerName} exited (code ${inspect.State.ExitCode}) right after starting: see \`docker logs ${settings.containerName}\`.`,
        );
      }
      const baseUrl = `http://${settings.backendHost}:${publishedPortOf(inspect) ?? settings.managedPort}`;
      const probe = await this.probe(baseUrl);
      if (probe.ok) {
        this.set(
          this.statusOf({
            state: "ready",
            source: "managed",
            baseUrl,
            version: probe.version,
            gpu: (inspect.HostConfig?.DeviceRequests?.length ?? 0) > 0,
            container: settings.containerName,
          }),
        );
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Ollama in container ${settings.containerName} did not answer on ${baseUrl} within ${Math.round((this.deps.startTimeoutMs ?? 120_000) / 1000)} s (${probe.reason}).`,
        );
      }
      this.set({ ...this.current, baseUrl });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async startFailure(error: unknown, created: Docker.ContainerInspectInfo): Promise<Error> {
    const { settings } = this.deps;
    const message = dockerMessageOf(error);
    // A container that cannot start keeps its port binding; remove it so a changed setting applies
    // (its models stay in the volume).
    await this.deps.docker
      ?.getContainer(created.Id)
      .remove({ force: true })
      .catch(() => {});
    if (/port is already allocated|address already in use/i.test(message)) {
      return new Error(
        `Port ${settings.managedPort} on ${settings.publishIp} is taken by another program (${message}). Set OLLAMA_MANAGED_PORT to a free port, or stop what uses it, then install again.`,
      );
    }
    return new Error(`Docker could not start the Ollama container: ${message}`);
  }

  private async pullImage(docker: Docker, image: string): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await docker.pull(image);
    } catch (error) {
      throw new Error(
        `Could not pull ${image} (${dockerMessageOf(error)}). Check this worker's access to the image registry, or load the image yourself (\`docker pull ${image}\`) and install again.`,
      );
    }
    let tally = startImagePull();
    for await (const line of lines(stream as unknown as AsyncIterable<Uint8Array>)) {
      const event = DockerPullEvent.safeParse(safeJson(line));
      if (!event.success) continue;
      tally = tallyImagePull(tally, event.data);
      this.set({ ...this.current, install: { phase: "pulling_image", image: imagePullProgressOf(tally) } });
      if (tally.error) throw new Error(`Pulling ${image} failed: ${tally.error}`);
    }
  }

  private async inspectManaged(): Promise<Docker.ContainerInspectInfo | null> {
    const { docker, settings } = this.deps;
    if (!docker) return null;
    try {
      const inspect = await docker.getContainer(settings.containerName).inspect();
      return inspect.Config.Labels?.[OLLAMA_LABEL] === "true" ? inspect : null;
    } catch (error) {
      if (dockerStatusOf(error) === 404) return null;
      throw new Unavailable(
        `Docker did not answer while looking for the Ollama container: ${dockerMessageOf(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  private async probe(
    baseUrl: string,
  ): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
    try {
      const version = await createOllamaApi(baseUrl).version(PROBE_TIMEOUT_MS);
      return { ok: true, version };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private statusOf(
    fields: Partial<OllamaWorkerStatus> & Pick<OllamaWorkerStatus, "state">,
  ): OllamaWorkerStatus {
    const { settings, docker } = this.deps;
    return {
      source: null,
      baseUrl: null,
      version: null,
      reason: null,
      installable: !settings.ollamaHost && docker !== null,
      image: settings.image,
      container: null,
      gpu: null,
      install: null,
      ...fields,
      checkedAt: new Date().toISOString(),
    };
  }

  private set(status: OllamaWorkerStatus): OllamaWorkerStatus {
    const before = this.current;
    this.current = status;
    if (status.state === "ready") this.installFailure = null;
    if (before?.state !== status.state || before.baseUrl !== status.baseUrl) {
      const where = status.baseUrl ? ` at ${status.baseUrl}` : "";
      const why = status.state === "error" && status.reason ? `: ${status.reason}` : "";
      this.deps.log(
        `ollama: ${status.state.replace("_", " ")}${where}${status.source ? ` (${status.source})` : ""}${why}`,
      );
    }
    return status;
  }
}

async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if (dockerStatusOf(error) === 404) return false;
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
