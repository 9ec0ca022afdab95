import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { managedOllamaContainer, publishedPortOf, shouldUseGpu } from "./container-spec";

const spec = {
  image: "ollama/ollama",
  name: "agentos-ollama",
  volume: "agentos-ollama-models",
  publishIp: "127.0.0.1",
  hostPort: 11434,
  hasGpu: false,
};

describe("managed Ollama container", () => {
  it("keeps models in a named volume, publishes the API on loopback and restarts unless stopped", () => {
    const options = managedOllamaContainer(spec);
    expect(options).toMatchObject({
      name: "agentos-ollama",
      Image: "ollama/ollama",
      Labels: { "dev.agentos.ollama": "true" },
      HostConfig: {
        PortBindings: { "11434/tcp": [{ HostIp: "127.0.0.1", HostPort: "11434" }] },
        Mounts: [{ Type: "volume", Source: "agentos-ollama-models", Target: "/root/.ollama" }],
        RestartPolicy: { Name: "unless-stopped" },
      },
    });
    expect(options.HostConfig?.DeviceRequests).toBeUndefined();
  });

  it("passes every NVIDIA GPU through when the host has one", () => {
    expect(managedOllamaContainer({ ...spec, hasGpu: true }).HostConfig?.DeviceRequests).toEqual([
      { Driver: "nvidia", Count: -1, Capabilities: [["gpu"]] },
    ]);
  });

  it("uses the GPU when Docker has the nvidia runtime or a local nvidia-smi works, unless told", () => {
    const none = { dockerRuntimes: ["runc"], isDockerLocal: true, hasNvidiaSmi: false };
    expect(shouldUseGpu("auto", none)).toBe(false);
    expect(shouldUseGpu("auto", { ...none, dockerRuntimes: ["runc", "nvidia"] })).toBe(true);
    expect(shouldUseGpu("auto", { ...none, hasNvidiaSmi: true })).toBe(true);
    // nvidia-smi on this machine says nothing about a remote engine.
    expect(shouldUseGpu("auto", { ...none, hasNvidiaSmi: true, isDockerLocal: false })).toBe(false);
    expect(shouldUseGpu("on", none)).toBe(true);
    expect(shouldUseGpu("off", { ...none, dockerRuntimes: ["nvidia"] })).toBe(false);
  });

  it("reads the published port of a running container, or the configured one of a stopped container", () => {
    const running = {
      NetworkSettings: { Ports: { "11434/tcp": [{ HostIp: "127.0.0.1", HostPort: "41234" }] } },
    };
    expect(publishedPortOf(running as unknown as Docker.ContainerInspectInfo)).toBe(41234);
    const stopped = {
      NetworkSettings: { Ports: {} },
      HostConfig: { PortBindings: { "11434/tcp": [{ HostIp: "127.0.0.1", HostPort: "41235" }] } },
    };
    expect(publishedPortOf(stopped as unknown as Docker.ContainerInspectInfo)).toBe(41235);
    expect(publishedPortOf({ NetworkSettings: {} } as unknown as Docker.ContainerInspectInfo)).toBeNull();
  });
});
