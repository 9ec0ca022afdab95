import type Docker from "dockerode";

/** Marks the managed Ollama container and its volume (not a sandbox: sandbox reconciliation never sees it). */
export const OLLAMA_LABEL = "dev.agentos.ollama";

/** The port Ollama listens on inside its container (the image sets OLLAMA_HOST=0.0.0.0:11434). */
export const OLLAMA_CONTAINER_PORT = "11434/tcp";

export interface ManagedOllamaSpec {
  image: string;
  name: string;
  volume: string;
  publishIp: string;
  hostPort: number;
  hasGpu: boolean;
}

/**
 * The managed Ollama container: models in a named volume at /root/.ollama (they outlive the
 * container), the API published on the host, restarted by Docker unless someone stops it, and every
 * NVIDIA GPU passed through when the host has them.
 */
export function managedOllamaContainer(spec: ManagedOllamaSpec): Docker.ContainerCreateOptions {
  return {
    name: spec.name,
    Image: spec.image,
    Labels: { [OLLAMA_LABEL]: "true" },
    ExposedPorts: { [OLLAMA_CONTAINER_PORT]: {} },
    HostConfig: {
      PortBindings: {
        [OLLAMA_CONTAINER_PORT]: [{ HostIp: spec.publishIp, HostPort: String(spec.hostPort) }],
      },
      Mounts: [{ Type: "volume", Source: spec.volume, Target: "/root/.ollama" }],
      RestartPolicy: { Name: "unless-stopped" },
      ...(spec.hasGpu ? { DeviceRequests: [{ Driver: "nvidia", Count: -1, Capabilities: [["gpu"]] }] } : {}),
    },
  };
}

/**
 * Whether to pass GPUs through: OLLAMA_GPU=on/off decides; auto looks for Docker's nvidia runtime
 * and, when the engine is on this machine, for a working `nvidia-smi`.
 */
export function shouldUseGpu(
  setting: "auto" | "on" | "off",
  host: { dockerRuntimes: string[]; isDockerLocal: boolean; hasNvidiaSmi: boolean },
): boolean {
  if (setting !== "auto") return setting === "on";
  return host.dockerRuntimes.includes("nvidia") || (host.isDockerLocal && host.hasNvidiaSmi);
}

/** The host port Docker published a container's Ollama port on, if any. */
export function publishedPortOf(inspect: Docker.ContainerInspectInfo): number | null {
  // A stopped container has no live bindings; its configured ones still say where it will be.
  const binding =
    inspect.NetworkSettings?.Ports?.[OLLAMA_CONTAINER_PORT]?.[0] ??
    (inspect.HostConfig?.PortBindings as Record<string, Array<{ HostPort?: string }>> | undefined)?.[
      OLLAMA_CONTAINER_PORT
    ]?.[0];
  const port = Number(binding?.HostPort);
  return Number.isInteger(port) && port > 0 ? port : null;
}
