// sst.config.ts run against a fake SST platform that records every resource it declares: the SST
// CLI cannot run here, and this checks the wiring of the computed shape into resources.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudShape } from ".";

interface Declared {
  type: string;
  name: string;
  args: Record<string, unknown>;
}

/** A Pulumi-like output: `apply` maps it; its value is known to the test. */
class FakeOutput<T> {
  constructor(readonly value: T) {}
  apply<U>(fn: (value: T) => U): FakeOutput<U> {
    return new FakeOutput(fn(this.value));
  }
}

const declared: Declared[] = [];
const SECRET_VALUE = (name: string) => `secret-value-of-${name}`;

/**
 * Any `aws.x.Y` is a recording resource class or, lower-case, a function returning an output. The
 * target is a class so that the proxy is both constructible and callable (an arrow is not).
 */
function fakeNamespace(path: string[]): unknown {
  return new Proxy(class {}, {
    get: (_target, key: string) => fakeNamespace([...path, key]),
    construct: (_target, [name, args]: [string, Record<string, unknown>]) => {
      declared.push({ type: path.join("."), name, args: args ?? {} });
      return new Proxy({}, { get: (_t, key: string) => new FakeOutput(`${path.at(-1)}:${name}.${key}`) });
    },
    apply: (_target, _this, args: unknown[]) => {
      if (path.at(-1) === "getRegionOutput") return { name: new FakeOutput("eu-west-1") };
      if (path.at(-1) === "assumeRolePolicyForPrincipal") return JSON.stringify(args[0]);
      return { value: new FakeOutput(`${path.join(".")}(${JSON.stringify(args[0])})`) };
    },
  });
}

const globals = globalThis as Record<string, unknown>;
let result: Record<string, unknown> = {};
const find = (type: string, name?: string) =>
  declared.filter((d) => d.type === type && (!name || d.name === name));

beforeAll(async () => {
  globals.$config = (config: unknown) => config;
  globals.$app = { stage: "production", name: "agentos-studio" };
  globals.aws = fakeNamespace(["aws"]);
  globals.sst = {
    Secret: class {
      readonly value: FakeOutput<string>;
      constructor(readonly name: string) {
        this.value = new FakeOutput(SECRET_VALUE(name));
        declared.push({ type: "sst.Secret", name, args: {} });
      }
    },
    aws: {
      Vpc: class {
        id = new FakeOutput("vpc-1");
        publicSubnets = new FakeOutput(["subnet-public"]);
        privateSubnets = new FakeOutput(["subnet-private"]);
        securityGroups = new FakeOutput(["sg-vpc"]);
        nodes = { vpc: { cidrBlock: new FakeOutput("10.0.0.0/16") } };
        constructor(name: string, args: Record<string, unknown>) {
          declared.push({ type: "sst.aws.Vpc", name, args });
        }
      },
      Nextjs: class {
        url = new FakeOutput("https://studio.example.com");
        constructor(name: string, args: Record<string, unknown>) {
          declared.push({ type: "sst.aws.Nextjs", name, args });
        }
      },
    },
  };
  const { default: config } = (await import("../../../sst.config")) as {
    default: { app(input: { stage: string }): unknown; run(): Promise<Record<string, unknown>> };
  };
  expect(config.app({ stage: "production" })).toMatchObject({ home: "aws", removal: "retain" });
  result = await config.run();
});
afterAll(() => {
  for (const key of ["$config", "$app", "aws", "sst"]) delete globals[key];
});

const shape = cloudShape({
  stage: "production",
  domain: "example.com",
  workerImage: "agentos/worker:latest",
});

describe("sst.config.ts", () => {
  it("declares one sst.Secret per secret the processes need, and copies each to an SSM SecureString", () => {
    expect(
      find("sst.Secret")
        .map((s) => s.name)
        .sort(),
    ).toEqual(Object.keys(shape.secrets).sort());
    const parameters = find("aws.ssm.Parameter");
    expect(parameters.map((p) => p.args.name).sort()).toEqual(
      Object.values(shape.secrets)
        .map((v) => `/agentos/production/${v}`)
        .sort(),
    );
    for (const p of parameters) expect(p.args.type).toBe("SecureString");
  });

  it("puts web on sst.aws.Nextjs with its env, secrets only as secret outputs", () => {
    const [web] = find("sst.aws.Nextjs");
    expect(web?.args).toMatchObject({ path: "web", domain: "studio.example.com" });
    const environment = web!.args.environment as Record<string, unknown>;
    expect(environment).toMatchObject(shape.web.spec.env);
    expect(environment.AGENTOS_ENGINE).toBe("inngest");
    for (const variable of shape.web.spec.secrets) {
      expect(environment[variable]).toBeInstanceOf(FakeOutput);
    }
    for (const [variable, value] of Object.entries(shape.web.spec.env)) {
      expect(value, variable).not.toMatch(/^secret-value-of-/);
    }
  });

  it("runs workers on EC2 with Docker: launch template, fleet scaled on CPU, secrets read from SSM at boot", () => {
    const [template] = find("aws.ec2.LaunchTemplate");
    const userData = Buffer.from((template!.args.userData as FakeOutput<string>).value, "base64").toString();
    expect(userData).toContain("docker run -d --name agentos-worker");
    expect(userData).toContain("-v /var/run/docker.sock:/var/run/docker.sock");
    expect(userData).toContain(
      "aws ssm get-parameters-by-path --region eu-west-1 --path /agentos/production",
    );
    expect(userData).not.toMatch(/secret-value-of-/);
    expect(userData).toContain("AGENTOS_ENGINE=inngest");
    expect(template!.args.instanceType).toBe(shape.worker.instanceType);
    const [fleet] = find("aws.autoscaling.Group");
    expect(fleet!.args).toMatchObject({ minSize: 1, maxSize: 4, healthCheckType: "ELB" });
    const [policy] = find("aws.autoscaling.Policy");
    expect((policy!.args.targetTrackingConfiguration as { targetValue: number }).targetValue).toBe(60);
    expect(find("aws.ecs.Service")).toEqual([]);
  });

  it("routes the sandbox-site wildcard and Inngest's calls to the workers, health-checked on /ready", () => {
    const rules = find("aws.lb.ListenerRule").map((r) => JSON.stringify(r.args.conditions));
    expect(rules.some((r) => r.includes("*.sites.example.com"))).toBe(true);
    expect(rules.some((r) => r.includes("workers.example.com") && r.includes("/api/inngest"))).toBe(true);
    for (const group of find("aws.lb.TargetGroup")) {
      expect(group.args.healthCheck).toMatchObject({ path: "/ready", port: "3100" });
    }
    expect(result.inngestServeUrl).toBe("https://workers.example.com/api/inngest");
  });
});

describe("cloud shape", () => {
  it("keeps no state on web functions or worker hosts: libSQL server, Inngest, secrets", () => {
    expect(shape.web.spec.secrets).toEqual(
      expect.arrayContaining([
        "DATABASE_URL",
        "DATABASE_AUTH_TOKEN",
        "INNGEST_EVENT_KEY",
        "INNGEST_SIGNING_KEY",
        "AGENTOS_SECRET_KEY",
      ]),
    );
    expect(Object.values(shape.secrets)).toContain("WORKER_TOKEN");
    expect(shape.worker.spec.env.WORKER_HOST).toBe("0.0.0.0");
  });
});
