import { PORTS, type Probe } from "../deploy/ports";
import { type DeploymentSettings, type ProcessSpec, webProcess, workerProcess } from "../deploy/processes";

/** What the cloud deployment is told: its domain and the size of the worker fleet. */
export interface CloudInput {
  /** SST stage (production, staging, a developer's name). */
  stage: string;
  /** Apex domain the stage lives under: studio.<domain>, *.sites.<domain>, workers.<domain>. */
  domain: string;
  /** Docker image of the worker (pushed by CI). */
  workerImage: string;
  workers?: { min?: number; max?: number; instanceType?: string; capacity?: number };
}

export interface ScalingRules {
  min: number;
  max: number;
  /** Target tracking: keep the fleet's average CPU near this percentage. */
  cpuTargetPercent: number;
  /** Seconds a new instance gets before its health counts (Docker pull, start, register). */
  warmupSeconds: number;
}

/** An ALB listener rule in front of the workers. */
export interface WorkerRoute {
  name: "sites" | "inngest";
  hosts: string[];
  paths: string[];
  port: number;
  /** Health check of the target group (on the worker port: the site proxy answers 404 to unknown hosts). */
  health: Probe;
}

/** The cloud shape sst.config.ts builds: web on Lambda (sst.aws.Nextjs), workers on EC2 with Docker. */
export interface CloudShape {
  /** sst.Secret name → the variable it fills. */
  secrets: Record<string, string>;
  web: { domain: string; spec: ProcessSpec };
  worker: {
    spec: ProcessSpec;
    instanceType: string;
    scaling: ScalingRules;
    routes: WorkerRoute[];
    /** Where Inngest calls the workers' functions (the app's serve URL in Inngest). */
    inngestServeUrl: string;
    /** Shell run at instance boot: secrets from SSM, then the worker container on the host's Docker. */
    userData(parameterPrefix: string, region: string): string;
  };
  /** SSM SecureString parameters the secrets are copied to, read by the worker instances' role. */
  parameterPrefix: string;
}

/** sst.Secret names are PascalCase; this is the variable each one fills. */
export const secretNameOf = (variable: string) =>
  variable
    .toLowerCase()
    .split("_")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");

/**
 * The cloud deployment: web on serverless functions, N worker hosts on EC2 with Docker (Fargate
 * cannot run sandbox containers), a libSQL/Turso database and Inngest as the engine, so that no
 * state lives on a web function or a worker host.
 */
export function cloudShape(input: CloudInput): CloudShape {
  const settings: DeploymentSettings = {
    platform: "cloud",
    publicUrl: `https://studio.${input.domain}`,
    sitesDomain: `sites.${input.domain}`,
    database: "libsql",
    engine: "inngest",
    docker: "host-socket",
    workerCapacity: input.workers?.capacity ?? 8,
    // Nothing durable is written: the database is remote, keys come from secrets.
    dataDir: "/tmp/agentos",
  };
  const web = webProcess(settings);
  const worker = workerProcess(settings);
  const secrets = Object.fromEntries(
    [...new Set([...web.secrets, ...worker.secrets])].sort().map((v) => [secretNameOf(v), v]),
  );
  const parameterPrefix = `/agentos/${input.stage}`;
  const workerHealth: Probe = {
    ...worker.readiness,
    periodSeconds: 15,
    failureThreshold: 2,
    timeoutSeconds: 5,
  };
  return {
    secrets,
    parameterPrefix,
    web: { domain: `studio.${input.domain}`, spec: web },
    worker: {
      spec: worker,
      instanceType: input.workers?.instanceType ?? "m7i.large",
      scaling: {
        min: input.workers?.min ?? 1,
        max: input.workers?.max ?? 4,
        cpuTargetPercent: 60,
        warmupSeconds: 120,
      },
      routes: [
        {
          name: "sites",
          hosts: [`*.sites.${input.domain}`],
          paths: ["/*"],
          port: PORTS.sites.port,
          health: workerHealth,
        },
        {
          name: "inngest",
          hosts: [`workers.${input.domain}`],
          paths: ["/api/inngest"],
          port: PORTS.worker.port,
          health: workerHealth,
        },
      ],
      inngestServeUrl: `https://workers.${input.domain}/api/inngest`,
      userData: (prefix, region) => workerUserData(worker, input.workerImage, prefix, region),
    },
  };
}

/**
 * The worker host's boot script (Amazon Linux 2023): Docker, the secrets from SSM into an env file
 * only root can read, the instance's private address as WORKER_PUBLIC_URL (web reaches workers over
 * the VPC), then the worker container with the host's Docker socket on the host network (sandbox
 * site ports are published on the host's loopback).
 */
function workerUserData(spec: ProcessSpec, image: string, prefix: string, region: string): string {
  const plain = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "dnf install -y docker jq",
    "systemctl enable --now docker",
    "install -d -m 0700 /etc/agentos",
    `cat >/etc/agentos/worker.env <<'ENV'\n${plain.join("\n")}\nENV`,
    `aws ssm get-parameters-by-path --region ${region} --path ${prefix} --with-decryption --output json \\`,
    `  | jq -r '.Parameters[] | "\\(.Name | split("/") | last)=\\(.Value)"' >>/etc/agentos/worker.env`,
    'TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")',
    'IP=$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/local-ipv4)',
    `echo "WORKER_PUBLIC_URL=http://$IP:${PORTS.worker.port}" >>/etc/agentos/worker.env`,
    "chmod 0600 /etc/agentos/worker.env",
    `docker run -d --name agentos-worker --restart unless-stopped --network host \\`,
    `  --env-file /etc/agentos/worker.env --stop-timeout ${spec.terminationGraceSeconds} \\`,
    `  --group-add "$(stat -c %g /var/run/docker.sock)" -v /var/run/docker.sock:/var/run/docker.sock \\`,
    `  --read-only --tmpfs /tmp ${image}`,
  ].join("\n");
}
