import { PORTS, type PortSpec, type Probe, probe } from "./ports";

/** Where a deployment runs; each computes its processes' env from the same rules. */
export type Platform = "compose" | "kubernetes" | "cloud";

/** How a worker reaches a Docker engine for sandboxes. */
export type DockerAccess =
  /** The host's /var/run/docker.sock mounted in: simple, but root on the host to whoever controls the worker. */
  | "host-socket"
  /** A rootless Docker-in-Docker sidecar in the same pod, on the pod's loopback (tcp://127.0.0.1:2375). */
  | "dind-sidecar";

export interface DeploymentSettings {
  platform: Platform;
  /** Where users reach the Studio (https://studio.example.com): cookies, CSRF, OAuth. */
  publicUrl: string;
  /** Sandbox sites are served as <name>.<sitesDomain> (a wildcard DNS record and certificate). */
  sitesDomain: string;
  /** file: a libSQL file on a volume (one Studio replica); libsql: a libSQL server or Turso URL. */
  database: "file" | "libsql";
  engine: "local" | "inngest";
  docker: DockerAccess;
  /** Runs each worker executes at once. */
  workerCapacity: number;
  /** Data directory inside the containers (the volume). */
  dataDir: string;
}

export type ProcessName = "studio" | "web" | "worker" | "server";

/** What one process (container, function) is given: plain env, secret variable names, ports, probes. */
export interface ProcessSpec {
  process: ProcessName;
  /** Plain configuration: safe in a ConfigMap, an image, compose.yaml or CloudFormation. */
  env: Record<string, string>;
  /** Variables that must come from a secret store; their values are never in `env`. */
  secrets: string[];
  /** Secrets the process reads when present (first admin, OAuth sign-in apps, rotation). */
  optionalSecrets: string[];
  ports: PortSpec[];
  liveness: Probe;
  readiness: Probe;
  /** Seconds between SIGTERM and SIGKILL the platform must allow (the worker drains its runs). */
  terminationGraceSeconds: number;
}

/** The optional secrets of every API process: the first admin, sign-in apps and key rotation. */
const OPTIONAL_API_SECRETS = [
  "AGENTOS_ADMIN_PASSWORD",
  "AGENTOS_AUTH_SECRET",
  "AGENTOS_PREVIOUS_SECRET_KEYS",
  "AGENTOS_GITHUB_CLIENT_SECRET",
  "AGENTOS_GOOGLE_CLIENT_SECRET",
  "AGENTOS_OIDC_CLIENT_SECRET",
];

const WORKER_DRAIN_MS = 8_000;

/** Env and secrets every process of a deployment shares: mode, database, engine, logs. */
function shared(settings: DeploymentSettings): { env: Record<string, string>; secrets: string[] } {
  const env: Record<string, string> = {
    AGENTOS_MODE: "hosted",
    AGENTOS_DATA_DIR: settings.dataDir,
    AGENTOS_ENGINE: settings.engine,
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
  };
  const secrets = ["AGENTOS_SECRET_KEY"];
  if (settings.database === "libsql") secrets.push("DATABASE_URL", "DATABASE_AUTH_TOKEN");
  if (settings.engine === "inngest") secrets.push("INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY");
  return { env, secrets };
}

/** API-side settings (web, server): the public URL and where sandbox site ports are reached. */
function apiEnv(settings: DeploymentSettings): Record<string, string> {
  return {
    AGENTOS_PUBLIC_URL: settings.publicUrl,
    SANDBOX_BACKEND_HOST: sandboxBackendHost(settings),
  };
}

/** Where published sandbox ports are reached from the worker and web containers. */
export function sandboxBackendHost(settings: DeploymentSettings): string {
  if (settings.docker === "dind-sidecar") return "127.0.0.1";
  // compose: the host's Docker publishes on the bridge gateway, which containers reach by this name.
  return settings.platform === "compose" ? "host.docker.internal" : "127.0.0.1";
}

/**
 * Where Docker publishes sandbox site ports. The worker probes a port by binding it in its own
 * network namespace, so a worker in a container on the host's engine (compose) can only publish on
 * 0.0.0.0 (firewall the port range from outside); with a sidecar engine or host networking, loopback.
 */
export function sandboxPublishIp(settings: DeploymentSettings): string {
  return settings.platform === "compose" && settings.docker === "host-socket" ? "0.0.0.0" : "127.0.0.1";
}

function workerEnv(settings: DeploymentSettings, host: string): Record<string, string> {
  const env: Record<string, string> = {
    WORKER_HOST: host,
    WORKER_PORT: String(PORTS.worker.port),
    WORKER_PROXY_HOST: "0.0.0.0",
    WORKER_PROXY_PORT: String(PORTS.sites.port),
    WORKER_CAPACITY: String(settings.workerCapacity),
    WORKER_DRAIN_MS: String(WORKER_DRAIN_MS),
    SANDBOX_PUBLISH_IP: sandboxPublishIp(settings),
    SANDBOX_BACKEND_HOST: sandboxBackendHost(settings),
  };
  if (settings.docker === "dind-sidecar") env.DOCKER_HOST = "tcp://127.0.0.1:2375";
  // Kubernetes expands $(POD_IP) from the downward API: web reaches each worker at its pod address.
  if (settings.platform === "kubernetes" && host !== "127.0.0.1") {
    env.WORKER_PUBLIC_URL = `http://$(POD_IP):${PORTS.worker.port}`;
  }
  return env;
}

const sorted = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The studio container (web + worker under one supervisor): one unit that serves the UI, API
 * and MCP on 3000 and sandbox sites on 3200. With a file database it must run as one replica.
 */
export function studioProcess(settings: DeploymentSettings): ProcessSpec {
  const base = shared(settings);
  return {
    process: "studio",
    env: sorted({
      ...base.env,
      ...apiEnv(settings),
      ...workerEnv(settings, "127.0.0.1"),
      PORT: String(PORTS.studio.port),
      HOST: "0.0.0.0",
      SHUTDOWN_TIMEOUT_MS: "9000",
    }),
    // web and worker share the data directory, where the worker generates the worker token.
    secrets: base.secrets,
    optionalSecrets: OPTIONAL_API_SECRETS,
    ports: [
      { name: "http", port: PORTS.studio.port, protocol: "TCP" },
      { name: "sites", port: PORTS.sites.port, protocol: "TCP" },
    ],
    liveness: probe("/api/health", PORTS.studio.port, { failureThreshold: 6 }),
    readiness: probe("/api/ready", PORTS.studio.port, { periodSeconds: 5 }),
    terminationGraceSeconds: 15,
  };
}

/** The web process alone (scale-out): UI, API and MCP; the workers run elsewhere. */
export function webProcess(settings: DeploymentSettings): ProcessSpec {
  const base = shared(settings);
  return {
    process: "web",
    env: sorted({ ...base.env, ...apiEnv(settings), PORT: String(PORTS.studio.port), HOST: "0.0.0.0" }),
    // Separate containers share no data directory: the worker token is a real secret here.
    secrets: [...base.secrets, "WORKER_TOKEN"],
    optionalSecrets: OPTIONAL_API_SECRETS,
    ports: [{ name: "http", port: PORTS.studio.port, protocol: "TCP" }],
    liveness: probe("/api/health", PORTS.studio.port, { failureThreshold: 6 }),
    readiness: probe("/api/ready", PORTS.studio.port, { periodSeconds: 5 }),
    terminationGraceSeconds: 15,
  };
}

/** A worker host alone (scale-out): runs, sandboxes, the site proxy, /api/inngest for Inngest. */
export function workerProcess(settings: DeploymentSettings): ProcessSpec {
  const base = shared(settings);
  return {
    process: "worker",
    env: sorted({ ...base.env, ...workerEnv(settings, "0.0.0.0") }),
    secrets: [...base.secrets, "WORKER_TOKEN"],
    // The worker opens provider keys, MCP tokens and sandbox env too: it needs the old keys while rotating.
    optionalSecrets: ["AGENTOS_PREVIOUS_SECRET_KEYS"],
    ports: [
      { name: "worker", port: PORTS.worker.port, protocol: "TCP" },
      { name: "sites", port: PORTS.sites.port, protocol: "TCP" },
    ],
    liveness: probe("/health", PORTS.worker.port, { failureThreshold: 6 }),
    readiness: probe("/ready", PORTS.worker.port, { periodSeconds: 5 }),
    terminationGraceSeconds: Math.ceil(WORKER_DRAIN_MS / 1000) + 7,
  };
}

/** The headless server: the contract API and MCP without the UI. */
export function serverProcess(settings: DeploymentSettings): ProcessSpec {
  const base = shared(settings);
  return {
    process: "server",
    env: sorted({
      ...base.env,
      ...apiEnv(settings),
      PORT: String(PORTS.studio.port),
      HOST: "0.0.0.0",
      SHUTDOWN_TIMEOUT_MS: "10000",
    }),
    secrets: [...base.secrets, "WORKER_TOKEN"],
    optionalSecrets: OPTIONAL_API_SECRETS,
    ports: [{ name: "http", port: PORTS.studio.port, protocol: "TCP" }],
    liveness: probe("/api/health", PORTS.studio.port, { failureThreshold: 6 }),
    readiness: probe("/api/ready", PORTS.studio.port, { periodSeconds: 5 }),
    terminationGraceSeconds: 15,
  };
}

export const PROCESS_SPECS = {
  studio: studioProcess,
  web: webProcess,
  worker: workerProcess,
  server: serverProcess,
} as const;
