// infra/compose.yaml brought up with Debian's docker-compose: the studio image with its volume and
// the Docker socket, and Caddy in front (profile caddy) with on-demand TLS from its local CA. A
// sandbox site bound in the Studio is served by its host name through Caddy and the worker's
// domain proxy; an unbound name gets no certificate, because the ask endpoint refuses it.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentOsClient, createClient } from "@agentos/client";
import {
  buildImage,
  docker,
  dockerSocketGroup,
  REPO_ROOT,
  removeSandboxes,
  runCommand,
  waitUntil,
} from "@agentos/infra/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../harness/processes";
import { ADMIN, signIn } from "../hosted/harness";

const IMAGE = "agentos/studio:test";
const SANDBOX_IMAGE = "agentos/sandbox-busybox:test";
const id = randomBytes(4).toString("hex");
const PROJECT = `agentos-compose-${id}`;
const SECRET_KEY = randomBytes(32).toString("base64");
const SITE = `app-${id}.sites.test`;

/** An HTTPS request to Caddy on loopback for `host` (SNI and Host), trusting Caddy's local CA blindly. */
function viaCaddy(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, servername: host, headers: { host }, path: "/", rejectUnauthorized: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error("timed out")));
    req.end();
  });
}

describe("compose.yaml with Caddy in front", () => {
  const envFile = join(tmpdir(), `${PROJECT}.env`);
  let studioPort = 0;
  let httpsPort = 0;
  let client: AgentOsClient;
  const compose = (...args: string[]) =>
    runCommand("docker-compose", [
      "-p",
      PROJECT,
      "-f",
      join(REPO_ROOT, "infra/compose.yaml"),
      "--env-file",
      envFile,
      "--profile",
      "caddy",
      ...args,
    ]);
  const containerOf = async (service: string) =>
    docker(
      "ps",
      "-q",
      "--filter",
      `label=com.docker.compose.project=${PROJECT}`,
      "--filter",
      `label=com.docker.compose.service=${service}`,
    );

  beforeAll(async () => {
    await buildImage("studio", IMAGE);
    [studioPort, httpsPort] = [await freePort(), await freePort()];
    writeFileSync(
      envFile,
      [
        `AGENTOS_IMAGE=${IMAGE}`,
        `AGENTOS_SECRET_KEY=${SECRET_KEY}`,
        `AGENTOS_ADMIN_EMAIL=${ADMIN.email}`,
        `AGENTOS_ADMIN_PASSWORD=${ADMIN.password}`,
        `AGENTOS_PUBLIC_URL=http://127.0.0.1:${studioPort}`,
        `STUDIO_PORT=${studioPort}`,
        `CADDY_HTTP_PORT=${await freePort()}`,
        `CADDY_HTTPS_PORT=${httpsPort}`,
        "STUDIO_DOMAIN=studio.test",
        "CADDY_GLOBAL_OPTIONS=local_certs",
        `DOCKER_GID=${await dockerSocketGroup()}`,
        "",
      ].join("\n"),
    );
    await compose("up", "-d");
    const studio = await containerOf("studio");
    await waitUntil(
      async () => (await docker("inspect", "--format", "{{.State.Health.Status}}", studio)) === "healthy",
      "the studio service to be healthy",
      90_000,
    );
    const admin = await signIn(`http://127.0.0.1:${studioPort}`, ADMIN);
    const { token } = await admin.json<{ token: string }>("/api/tokens", {
      method: "POST",
      json: { name: "compose-test", scopes: ["read", "write", "run", "admin"] },
    });
    client = createClient({ baseUrl: `http://127.0.0.1:${studioPort}`, token });
  }, 1_200_000);

  afterAll(async () => {
    // Listed while the Studio runs: the sandboxes' scope label comes from its database.
    const sandboxIds = (await client?.sandboxes.list().catch(() => null))?.items.map((s) => s.id) ?? [];
    await compose("down", "-v", "--timeout", "10").catch((error) => console.error(String(error)));
    await removeSandboxes({ secretKey: SECRET_KEY, sandboxIds }).catch(() => {});
  });

  it("brings every service up healthy, the studio ready", async () => {
    const caddy = await containerOf("caddy");
    await waitUntil(
      async () => (await docker("inspect", "--format", "{{.State.Health.Status}}", caddy)) === "healthy",
      "the caddy service to be healthy",
      60_000,
    );
    expect((await fetch(`http://127.0.0.1:${studioPort}/api/ready`)).status).toBe(200);
  });

  it("serves a bound sandbox site by its host name through Caddy, and refuses an unbound one", async () => {
    const sandbox = await client.sandboxes.create({ policy: { image: SANDBOX_IMAGE, network: true } });
    await client.sandboxes.files.upload(
      sandbox.id,
      "/workspace/www/index.html",
      new Blob([`<h1>${SITE}</h1>\n`]),
    );
    await client.sandboxes.siteBindings.create(sandbox.id, { host: SITE, containerPort: 8080 });
    let exitCode: number | null = null;
    for await (const event of client.sandboxes.exec(sandbox.id, {
      command: "httpd -p 8080 -h /workspace/www",
    })) {
      if (event.type === "result") exitCode = event.exitCode;
    }
    expect(exitCode).toBe(0);

    const check = (domain: string) =>
      fetch(`http://127.0.0.1:${studioPort}/api/sandbox-site-bindings/check?domain=${domain}`).then(
        (r) => r.status,
      );
    expect(await check(SITE)).toBe(200);
    expect(await check(`nope-${id}.sites.test`)).toBe(404);

    let page = { status: 0, body: "" };
    await waitUntil(
      async () => {
        page = await viaCaddy(httpsPort, SITE);
        return page.status === 200;
      },
      `${SITE} through Caddy`,
      30_000,
    );
    expect(page.body).toBe(`<h1>${SITE}</h1>\n`);
    // No certificate for a name the Studio has not bound: the TLS handshake fails.
    await expect(viaCaddy(httpsPort, `nope-${id}.sites.test`)).rejects.toThrow();
    // The Studio itself, by its own name.
    const studio = await viaCaddy(httpsPort, "studio.test");
    expect(studio.status).toBeLessThan(500);
  });
});
