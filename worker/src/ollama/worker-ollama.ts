import type { Hono } from "hono";
import { connectDocker } from "../sandboxes/docker";
import type { OllamaEnv } from "./config";
import { OllamaHost } from "./host";
import { ModelPulls } from "./pulls";
import { createOllamaRoutes } from "./routes";

export interface WorkerOllamaDeps {
  env: OllamaEnv & { OLLAMA_HOST?: string | undefined; DOCKER_HOST?: string | undefined };
  /** Whether the worker reached its Docker engine at start (the sandbox host pinged it). */
  isDockerAvailable: boolean;
  /** SANDBOX_PUBLISH_IP and SANDBOX_BACKEND_HOST: where container ports are published and reached. */
  publishIp: string;
  backendHost: string;
  log(message: string): void;
}

export interface WorkerOllama {
  /** Mounted at /internal/ollama. */
  routes: Hono;
  /** `capabilities.ollama` of this worker. */
  isOffered: boolean;
  close(): void;
}

/** Ollama on this worker host: finds or installs it, pulls models, and serves the internal API. */
export async function startWorkerOllama(deps: WorkerOllamaDeps): Promise<WorkerOllama> {
  const { env } = deps;
  const host = new OllamaHost({
    settings: {
      ollamaHost: env.OLLAMA_HOST,
      detectUrl: env.OLLAMA_DETECT_URL,
      image: env.OLLAMA_IMAGE,
      containerName: env.OLLAMA_CONTAINER,
      managedPort: env.OLLAMA_MANAGED_PORT,
      gpu: env.OLLAMA_GPU,
      publishIp: deps.publishIp,
      backendHost: deps.backendHost,
    },
    docker: deps.isDockerAvailable ? connectDocker(env.DOCKER_HOST) : null,
    isDockerLocal: !env.DOCKER_HOST || env.DOCKER_HOST.startsWith("unix:"),
    log: deps.log,
  });
  // A Docker hiccup at start must not keep the worker from running; status() re-checks later.
  await host.init().catch((error: Error) => deps.log(`ollama: first check failed (${error.message})`));
  const pulls = new ModelPulls({ api: () => host.api() });
  return {
    routes: createOllamaRoutes(host, pulls),
    isOffered: host.isOffered,
    close: () => pulls.close(),
  };
}
