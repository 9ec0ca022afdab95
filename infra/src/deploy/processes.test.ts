import { StudioEnv } from "@agentos/api/node";
import { ServerEnv } from "@agentos/server";
import { WorkerEnv } from "@agentos/worker/src/config";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { EXAMPLE_DEPLOYMENTS, PROCESS_SCHEMAS } from "../config-reference";
import { SupervisorEnv } from "../supervisor/config";
import { type DeploymentSettings, PROCESS_SPECS, type ProcessName, type ProcessSpec } from "./processes";
import { looksSecret, NOT_SECRET, SECRET_VARIABLES } from "./secrets";

/** The schemas a process's env must satisfy: the studio container runs web and worker together. */
const SCHEMAS_OF: Record<ProcessName, z.ZodObject[]> = {
  studio: [StudioEnv, WorkerEnv, SupervisorEnv],
  web: [StudioEnv],
  worker: [WorkerEnv],
  server: [ServerEnv],
};
/** Launcher variables the web process reads outside StudioEnv (`next start -p/-H`, standalone server.js). */
const WEB_LAUNCHER = ["PORT", "HOST"];

const SECRET_PLACEHOLDER: Record<string, string> = {
  AGENTOS_SECRET_KEY: Buffer.alloc(32, 1).toString("base64"),
  DATABASE_URL: "libsql://studio-example.turso.io",
  DATABASE_AUTH_TOKEN: "token-placeholder",
  WORKER_TOKEN: "worker-token-placeholder-0123456789",
  INNGEST_EVENT_KEY: "event-key",
  INNGEST_SIGNING_KEY: "signkey-prod-0123",
};

const settingsMatrix: DeploymentSettings[] = [
  ...Object.values(EXAMPLE_DEPLOYMENTS),
  { ...EXAMPLE_DEPLOYMENTS.kubernetes!, database: "libsql", engine: "inngest" },
  { ...EXAMPLE_DEPLOYMENTS.compose!, engine: "inngest" },
];

const cases = settingsMatrix.flatMap((settings) =>
  (Object.keys(PROCESS_SPECS) as ProcessName[]).map((process) => ({
    name: `${process} on ${settings.platform} (${settings.database}, ${settings.engine}, ${settings.docker})`,
    process,
    settings,
    spec: PROCESS_SPECS[process](settings) as ProcessSpec,
  })),
);

describe("the env each process is given", () => {
  it.each(cases)("$name parses with the process's own schemas", ({ process, spec }) => {
    const env = { ...spec.env, ...Object.fromEntries(spec.secrets.map((s) => [s, SECRET_PLACEHOLDER[s]!])) };
    for (const schema of SCHEMAS_OF[process]) {
      const result = schema.safeParse(env);
      expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    }
  });

  it.each(cases)("$name holds no variable that none of its processes reads", ({ process, spec }) => {
    const known = new Set(SCHEMAS_OF[process].flatMap((s) => Object.keys(s.shape)));
    if (process === "web") for (const name of WEB_LAUNCHER) known.add(name);
    const stray = [...Object.keys(spec.env), ...spec.secrets, ...spec.optionalSecrets].filter(
      (n) => !known.has(n),
    );
    expect(stray).toEqual([]);
  });

  it.each(cases)("$name gets what its mode requires", ({ process, settings, spec }) => {
    const given = new Set([...Object.keys(spec.env), ...spec.secrets]);
    expect(spec.env.AGENTOS_MODE).toBe("hosted");
    expect(given.has("AGENTOS_SECRET_KEY")).toBe(true);
    if (process !== "worker") expect(spec.env.AGENTOS_PUBLIC_URL).toBe(settings.publicUrl);
    if (settings.database === "libsql") expect(spec.secrets).toContain("DATABASE_URL");
    else expect(given.has("DATABASE_URL")).toBe(false);
    if (settings.engine === "inngest") {
      expect(spec.secrets).toEqual(expect.arrayContaining(["INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"]));
    }
    // Processes in separate containers share no data directory, so no generated worker token.
    if (process !== "studio") expect(spec.secrets).toContain("WORKER_TOKEN");
  });

  it.each(cases)("$name keeps every secret out of its plain config", ({ spec }) => {
    const leaked = Object.keys(spec.env).filter((name) => SECRET_VARIABLES.has(name));
    expect(leaked).toEqual([]);
    for (const name of [...spec.secrets, ...spec.optionalSecrets])
      expect(SECRET_VARIABLES.has(name)).toBe(true);
    // No value looks like a key either (a secret pasted under another name).
    for (const value of Object.values(spec.env)) expect(value).not.toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
  });

  it("probes point at the ports the process listens on", () => {
    for (const { spec } of cases) {
      const ports = spec.ports.map((p) => p.port);
      expect(ports).toContain(spec.liveness.port);
      expect(ports).toContain(spec.readiness.port);
    }
  });

  it("the worker's grace period outlasts its drain", () => {
    for (const { spec } of cases) {
      const drainMs = Number(spec.env.WORKER_DRAIN_MS ?? 0);
      expect(spec.terminationGraceSeconds * 1000).toBeGreaterThan(drainMs);
    }
  });
});

describe("secret classification", () => {
  it("every variable whose name looks secret is classified", () => {
    const names = new Set(Object.values(PROCESS_SCHEMAS).flatMap((s) => Object.keys(s.shape)));
    const unclassified = [...names].filter(
      (n) => looksSecret(n) && !SECRET_VARIABLES.has(n) && !NOT_SECRET.has(n),
    );
    expect(unclassified).toEqual([]);
  });
});
