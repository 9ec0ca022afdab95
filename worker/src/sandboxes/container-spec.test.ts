import { SandboxPolicy } from "@agentos/core";
import { describe, expect, it } from "vitest";
import { containerSpec, portsOf, samePorts, shapeKey, shapeOf } from "./container-spec";

const input = (
  policy: Partial<SandboxPolicy>,
  ports: Array<{ containerPort: number; hostPort: number }> = [],
) =>
  containerSpec({
    shape: shapeOf(SandboxPolicy.parse(policy)),
    labels: { "dev.agentos.managed": "true" },
    volume: "agentos-vol",
    user: "1000:1000",
    networkName: "agentos-sandboxes",
    ports,
    publishIp: "127.0.0.1",
  });

describe("containerSpec", () => {
  it("drops every capability, forbids privilege escalation, runs as the sandbox user, network off", () => {
    const spec = input({ memoryMb: 256, cpus: 1.5, pidsLimit: 100 });
    expect(spec.User).toBe("1000:1000");
    expect(spec.HostConfig).toMatchObject({
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges:true"],
      Privileged: false,
      NetworkMode: "none",
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      NanoCpus: 1_500_000_000,
      PidsLimit: 100,
      ReadonlyRootfs: false,
      Mounts: [expect.objectContaining({ Type: "volume", Source: "agentos-vol", Target: "/workspace" })],
    });
    expect(spec.HostConfig?.Binds).toBeUndefined();
    expect(JSON.stringify(spec)).not.toContain("docker.sock");
  });

  it("joins the sandbox network only when the policy allows it, and publishes bound ports on it", () => {
    const spec = input({ network: true }, [{ containerPort: 8080, hostPort: 18100 }]);
    expect(spec.HostConfig?.NetworkMode).toBe("agentos-sandboxes");
    expect(spec.HostConfig?.PortBindings).toEqual({
      "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "18100" }],
    });
    expect(spec.ExposedPorts).toEqual({ "8080/tcp": {} });
  });

  it("makes the root filesystem read-only with a tmpfs /tmp when asked", () => {
    const spec = input({ readOnlyRootfs: true });
    expect(spec.HostConfig?.ReadonlyRootfs).toBe(true);
    expect(Object.keys(spec.HostConfig?.Tmpfs ?? {})).toEqual(["/tmp"]);
  });
});

describe("shapes and ports", () => {
  it("treats policies that differ only in exec timeout as one shape", () => {
    const a = shapeKey(shapeOf(SandboxPolicy.parse({ execTimeoutMs: 1000 })));
    const b = shapeKey(shapeOf(SandboxPolicy.parse({ execTimeoutMs: 9000 })));
    expect(a).toBe(b);
    expect(shapeKey(shapeOf(SandboxPolicy.parse({ memoryMb: 1024 })))).not.toBe(a);
  });

  it("reads back published ports and compares them as sets", () => {
    const info = {
      HostConfig: { PortBindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "18101" }] } },
    } as never;
    expect(portsOf(info)).toEqual([{ containerPort: 80, hostPort: 18101 }]);
    expect(samePorts([{ containerPort: 80, hostPort: 18101 }], portsOf(info))).toBe(true);
    expect(samePorts([], portsOf(info))).toBe(false);
  });
});
