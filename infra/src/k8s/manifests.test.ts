import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { EXAMPLE_DEPLOYMENTS } from "../config-reference";
import { studioProcess } from "../deploy/processes";
import { SECRET_VARIABLES } from "../deploy/secrets";
import { K8S_DIR, type Manifest, renderKustomization, validateManifest } from ".";

const OVERLAYS = ["single", "libsql"] as const;
const render = (overlay: string) => renderKustomization(join(K8S_DIR, "overlays", overlay));
const find = (manifests: Manifest[], kind: string, name: string) =>
  manifests.find((m) => m.kind === kind && m.metadata.name === name);
// biome-ignore lint/suspicious/noExplicitAny: walking rendered YAML.
type Any = any;

function hasKubectl(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe.each(OVERLAYS)("Kubernetes overlay %s", (overlay) => {
  const manifests = render(overlay);

  it("every object validates against the Kubernetes schemas", () => {
    expect(manifests.length).toBeGreaterThan(4);
    for (const manifest of manifests) expect(() => validateManifest(manifest)).not.toThrow();
  });

  it.skipIf(!hasKubectl())("renders as `kubectl kustomize` does", () => {
    const output = execFileSync("kubectl", ["kustomize", join(K8S_DIR, "overlays", overlay)], {
      encoding: "utf8",
    });
    const theirs = parseAllDocuments(output).map((d) => d.toJS() as Manifest);
    const key = (m: Manifest) => `${m.kind}/${m.metadata.name}`;
    expect(Object.fromEntries(manifests.map((m) => [key(m), m]))).toEqual(
      Object.fromEntries(theirs.map((m) => [key(m), m])),
    );
  });

  it("the ConfigMap holds exactly the plain env the infra module computes, and no secret", () => {
    const config = find(manifests, "ConfigMap", "studio-config") as Any;
    const expected = studioProcess(EXAMPLE_DEPLOYMENTS.kubernetes!).env;
    expect(config.data).toEqual(expected);
    for (const name of Object.keys(config.data)) expect(SECRET_VARIABLES.has(name)).toBe(false);
  });

  it("the studio container takes its secrets from the Secret and probes health and readiness", () => {
    const deployment = find(manifests, "Deployment", "studio") as Any;
    const pod = deployment.spec.template.spec;
    const studio = pod.containers.find((c: Any) => c.name === "studio");
    const spec = studioProcess(EXAMPLE_DEPLOYMENTS.kubernetes!);
    expect(studio.envFrom).toEqual([
      { configMapRef: { name: "studio-config" } },
      { secretRef: { name: "studio-secrets" } },
    ]);
    expect(studio.env).toBeUndefined();
    expect(studio.livenessProbe.httpGet.path).toBe(spec.liveness.path);
    expect(studio.readinessProbe.httpGet.path).toBe(spec.readiness.path);
    const ports = Object.fromEntries(studio.ports.map((p: Any) => [p.name, p.containerPort]));
    expect(ports).toMatchObject({ http: 3000, sites: 3200 });
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(spec.terminationGraceSeconds);
    expect(studio.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    // Docker for sandboxes comes from the rootless sidecar on the pod's loopback, not the node's socket.
    const docker = pod.initContainers.find((c: Any) => c.name === "docker");
    expect(docker.restartPolicy).toBe("Always");
    expect(JSON.stringify(pod.volumes)).not.toContain("docker.sock");
  });

  it("the Ingress serves the Studio and a wildcard host for sandbox sites", () => {
    const ingress = find(manifests, "Ingress", "studio") as Any;
    const byHost = Object.fromEntries(
      ingress.spec.rules.map((r: Any) => [r.host, r.http.paths[0].backend.service.port.name]),
    );
    expect(byHost).toEqual({ "studio.example.com": "http", "*.sites.example.com": "sites" });
  });
});

describe("replicas and storage", () => {
  it("a file database runs one replica that stops before the next starts, on a volume claim", () => {
    const manifests = render("single");
    const deployment = find(manifests, "Deployment", "studio") as Any;
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe("Recreate");
    expect(find(manifests, "PersistentVolumeClaim", "studio-data")).toBeDefined();
  });

  it("a libSQL server allows several replicas rolling one at a time, without a volume claim", () => {
    const manifests = render("libsql");
    const deployment = find(manifests, "Deployment", "studio") as Any;
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(find(manifests, "PersistentVolumeClaim", "studio-data")).toBeUndefined();
    expect(deployment.spec.template.spec.volumes.find((v: Any) => v.name === "data")).toEqual({
      name: "data",
      emptyDir: {},
    });
  });

  it("validation rejects a broken manifest", () => {
    const deployment = structuredClone(find(render("single"), "Deployment", "studio")) as Any;
    deployment.spec.replicas = "three";
    expect(() => validateManifest(deployment)).toThrow(/Deployment\/studio/);
  });
});
