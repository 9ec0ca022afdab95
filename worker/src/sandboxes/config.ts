import { z } from "zod";

const Port = z.coerce.number().int().min(1).max(65535);
const Millis = z.coerce.number().int().min(0);

/** The worker's sandbox, site-hosting and domain-proxy settings (part of the worker's env schema). */
export const SandboxEnv = z.object({
  DOCKER_HOST: z
    .string()
    .regex(/^(unix|tcp|http):\/\//, "must be unix:///path/docker.sock or tcp://host:port")
    .optional()
    .describe("Docker engine the sandboxes run on (default unix:///var/run/docker.sock)"),
  SANDBOX_NETWORK: z
    .string()
    .min(1)
    .default("agentos-sandboxes")
    .describe("Bridge network (no inter-container traffic) for sandboxes whose policy allows network"),
  SANDBOX_USER: z
    .string()
    .regex(/^\d+(:\d+)?$/, "must be uid or uid:gid, numeric")
    .default("1000:1000")
    .describe("Non-root uid:gid that sandbox processes and uploaded files run and belong as"),
  SANDBOX_PUBLISH_IP: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .describe("Host address Docker publishes bound sandbox ports on (0.0.0.0 for a containerised Studio)"),
  SANDBOX_BACKEND_HOST: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .describe("Where the domain proxy reaches published sandbox ports"),
  SANDBOX_PORT_START: Port.default(18100).describe("First host port for site bindings"),
  SANDBOX_PORT_END: Port.default(18200).describe("Last host port for site bindings"),
  SANDBOX_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(0)
    .max(32)
    .default(1)
    .describe("Warm, started containers kept per sandbox shape (image + limits); 0 disables the pool"),
  SANDBOX_POOL_IMAGES: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((i) => i.trim())
        .filter(Boolean),
    )
    .describe("Comma-separated images kept warm from start (default policy); others warm after first use"),
  SANDBOX_IDLE_STOP_MS: Millis.default(30 * 60_000).describe(
    "Stop running sandboxes unused this long (sandboxes with site bindings are kept); 0 never",
  ),
  SANDBOX_REAP_INTERVAL_MS: Millis.min(100)
    .default(60_000)
    .describe("How often idle sandboxes are looked for"),
  WORKER_PROXY_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3200)
    .describe("Port of the domain proxy that serves sandbox sites by Host header"),
  WORKER_PROXY_HOST: z.string().min(1).default("127.0.0.1").describe("Address the domain proxy listens on"),
});
export type SandboxEnv = z.output<typeof SandboxEnv>;

/** Settings the sandbox host runs with, derived from the env. */
export interface SandboxSettings {
  networkName: string;
  user: string;
  publishIp: string;
  backendHost: string;
  portRange: { start: number; end: number };
  poolSize: number;
  poolImages: string[];
  idleStopMs: number;
  reapIntervalMs: number;
}

/** The sandbox settings of a parsed env; throws naming the variable when the port range is inverted. */
export function sandboxSettingsOf(env: SandboxEnv): SandboxSettings {
  if (env.SANDBOX_PORT_START > env.SANDBOX_PORT_END) {
    throw new Error(
      `agentos-worker: invalid configuration\n  SANDBOX_PORT_END: ${env.SANDBOX_PORT_END} is below SANDBOX_PORT_START ${env.SANDBOX_PORT_START}`,
    );
  }
  return {
    networkName: env.SANDBOX_NETWORK,
    user: env.SANDBOX_USER,
    publishIp: env.SANDBOX_PUBLISH_IP,
    backendHost: env.SANDBOX_BACKEND_HOST,
    portRange: { start: env.SANDBOX_PORT_START, end: env.SANDBOX_PORT_END },
    poolSize: env.SANDBOX_POOL_SIZE,
    poolImages: env.SANDBOX_POOL_IMAGES,
    idleStopMs: env.SANDBOX_IDLE_STOP_MS,
    reapIntervalMs: env.SANDBOX_REAP_INTERVAL_MS,
  };
}
