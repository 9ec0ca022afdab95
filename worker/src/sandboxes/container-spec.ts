import type { SandboxPolicy } from "@agentos/core";
import type Docker from "dockerode";

/** Where a sandbox's files live: a named volume, so they survive restarts and re-creation. */
export const WORKDIR = "/workspace";

/** The part of a policy fixed at container creation; containers of one shape are interchangeable. */
export interface ContainerShape {
  image: string;
  network: boolean;
  readOnlyRootfs: boolean;
  memoryMb: number;
  cpus: number;
  pidsLimit: number;
}

export function shapeOf(policy: SandboxPolicy): ContainerShape {
  const { image, network, readOnlyRootfs, memoryMb, cpus, pidsLimit } = policy;
  return { image, network, readOnlyRootfs, memoryMb, cpus, pidsLimit };
}

export function shapeKey(shape: ContainerShape): string {
  return JSON.stringify([
    shape.image,
    shape.network,
    shape.readOnlyRootfs,
    shape.memoryMb,
    shape.cpus,
    shape.pidsLimit,
  ]);
}

export interface PortMapping {
  containerPort: number;
  hostPort: number;
}

export interface ContainerSpecInput {
  shape: ContainerShape;
  name?: string;
  labels: Record<string, string>;
  volume: string;
  /** uid:gid the processes run as; never root. */
  user: string;
  /** The bridge network of sandboxes with network on. */
  networkName: string;
  ports: PortMapping[];
  publishIp: string;
}

/**
 * The Docker create options of a sandbox container: no capabilities, no privilege escalation, a
 * non-root user, memory (without swap), CPU and pids limits, network `none` unless the policy
 * allows it, `/workspace` on the sandbox's volume, and a read-only rootfs (with a tmpfs `/tmp`)
 * when asked. The main process only keeps the container alive; work happens in execs.
 */
export function containerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  const { shape } = input;
  const memory = shape.memoryMb * 1024 * 1024;
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const { containerPort, hostPort } of input.ports) {
    exposed[`${containerPort}/tcp`] = {};
    const list = bindings[`${containerPort}/tcp`] ?? [];
    list.push({ HostIp: input.publishIp, HostPort: String(hostPort) });
    bindings[`${containerPort}/tcp`] = list;
  }
  return {
    ...(input.name ? { name: input.name } : {}),
    Image: shape.image,
    Entrypoint: ["sleep"],
    Cmd: ["2147483647"],
    User: input.user,
    WorkingDir: WORKDIR,
    Labels: input.labels,
    ExposedPorts: exposed,
    HostConfig: {
      // docker-init as PID 1 reaps zombies of exec'd processes and makes `stop` immediate.
      Init: true,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges:true"],
      Privileged: false,
      ReadonlyRootfs: shape.readOnlyRootfs,
      ...(shape.readOnlyRootfs ? { Tmpfs: { "/tmp": "rw,nosuid,nodev,size=64m" } } : {}),
      // Docker creates the named volume (with our labels) on first use; re-creations reuse it.
      Mounts: [
        {
          Type: "volume",
          Source: input.volume,
          Target: WORKDIR,
          VolumeOptions: {
            NoCopy: false,
            Labels: input.labels,
            DriverConfig: { Name: "local", Options: {} },
          },
        },
      ],
      Memory: memory,
      MemorySwap: memory,
      NanoCpus: Math.round(shape.cpus * 1e9),
      PidsLimit: shape.pidsLimit,
      IpcMode: "private",
      NetworkMode: shape.network ? input.networkName : "none",
      PortBindings: bindings,
      RestartPolicy: { Name: "unless-stopped" },
    },
  };
}

/** The host-port mappings a container was created with, as `PortMapping`s. */
export function portsOf(info: Docker.ContainerInspectInfo): PortMapping[] {
  const mappings: PortMapping[] = [];
  for (const [key, list] of Object.entries(info.HostConfig.PortBindings ?? {})) {
    const containerPort = Number.parseInt(key, 10);
    for (const binding of (list ?? []) as Array<{ HostPort?: string }>) {
      if (binding.HostPort) mappings.push({ containerPort, hostPort: Number(binding.HostPort) });
    }
  }
  return mappings;
}

/** Whether two sets of port mappings are the same, order aside. */
export function samePorts(a: PortMapping[], b: PortMapping[]): boolean {
  const key = (m: PortMapping) => `${m.containerPort}:${m.hostPort}`;
  const left = new Set(a.map(key));
  return a.length === b.length && b.every((m) => left.has(key(m)));
}
