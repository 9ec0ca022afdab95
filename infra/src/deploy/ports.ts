/** Every port a Studio process listens on, with the variable that moves it. */
export const PORTS = {
  studio: {
    port: 3000,
    variable: "PORT",
    process: "web / server",
    what: "UI, contract API (/api), MCP (/mcp), /metrics",
  },
  mcp: {
    port: 3001,
    variable: "MCP_PORT",
    process: "studio image",
    what: "optional: /mcp alone (off unless set)",
  },
  worker: {
    port: 3100,
    variable: "WORKER_PORT",
    process: "worker",
    what: "internal API (worker token), /health, /ready, /metrics, /api/inngest",
  },
  sites: {
    port: 3200,
    variable: "WORKER_PROXY_PORT",
    process: "worker",
    what: "domain proxy: sandbox sites by Host header",
  },
  sandboxFirst: {
    port: 18100,
    variable: "SANDBOX_PORT_START",
    process: "Docker host",
    what: "first host port published for a site binding",
  },
  sandboxLast: {
    port: 18200,
    variable: "SANDBOX_PORT_END",
    process: "Docker host",
    what: "last host port published for a site binding",
  },
} as const;

export interface PortSpec {
  name: "http" | "mcp" | "worker" | "sites";
  port: number;
  protocol: "TCP";
}

/** An HTTP probe: liveness restarts the process, readiness takes it out of the load balancer. */
export interface Probe {
  path: string;
  port: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  initialDelaySeconds: number;
}

export const probe = (path: string, port: number, overrides: Partial<Probe> = {}): Probe => ({
  path,
  port,
  periodSeconds: 10,
  timeoutSeconds: 3,
  failureThreshold: 3,
  initialDelaySeconds: 0,
  ...overrides,
});
