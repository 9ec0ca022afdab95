// Per-request latency of sequential requests through the SSRF guard, against a loopback server over
// HTTP and HTTPS: `per-request agent` is guardedFetch (vetUrl, then a fresh pinned undici Agent per
// request: what createGuardedFetch did before), `shared agent` is createGuardedFetch (one kept-alive
// pool per policy, each new socket vetted by its lookup). Loopback hides the network round trips a
// new connection costs (one for TCP, one or two more for TLS), so a remote API gains more than this.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
// The bench is no dependency of the runtime's users; it reads the package's public entry directly.
import { createGuardedFetch, guardedFetch, parseAllowList } from "../../packages/runtime/src/index";
import { ms, timeSequential } from "../mcp/latency";

const REQUESTS = 200;
const WARMUP = 20;
const HOST = "bench.test";

/** A self-signed certificate for {@link HOST}, trusted by this process's TLS clients. */
function selfSignedCertificate() {
  const dir = mkdtempSync(join(tmpdir(), "guarded-fetch-bench-"));
  try {
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
        ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1"],
        ...["-subj", `/CN=${HOST}`, "-addext", `subjectAltName=DNS:${HOST}`],
      ],
      { stdio: "ignore" },
    );
    const cert = readFileSync(join(dir, "cert.pem"), "utf8");
    setDefaultCACertificates([...getCACertificates("default"), cert]);
    return { cert, key: readFileSync(join(dir, "key.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const answer: RequestListener = (req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json" });
  res.end('{"choices":[{"message":{"content":"OK"}}]}');
};

async function measure(scheme: "http" | "https", server: Server) {
  let connections = 0;
  server.on("connection", () => connections++);
  const port = await listen(server);
  const url = `${scheme}://${HOST}:${port}/v1/chat/completions`;
  // The bench host resolves to the loopback server at once, which the allow-list lets through.
  const policy = {
    allowPrivateNetwork: false,
    allowList: parseAllowList(`${HOST}:${port}`),
    howToAllow: "allow it in the bench",
    lookup: async () => [{ address: "127.0.0.1", family: 4 as const }],
  };
  const headers = new Headers({ "content-type": "application/json" });
  const body = '{"model":"m","messages":[]}';

  connections = 0;
  const perRequest = await timeSequential(REQUESTS, WARMUP, async () => {
    await guardedFetch({ method: "POST", url, headers, body, timeoutMs: 10_000 }, policy);
  });
  const perRequestConnections = connections;

  connections = 0;
  const guarded = createGuardedFetch(policy);
  const shared = await timeSequential(REQUESTS, WARMUP, async () => {
    await (await guarded(url, { method: "POST", headers, body })).text();
  });
  const sharedConnections = connections;

  server.closeAllConnections();
  server.close();
  return [
    [`${scheme} per-request agent`, perRequest, perRequestConnections],
    [`${scheme} shared agent`, shared, sharedConnections],
  ] as const;
}

async function main() {
  const tls = selfSignedCertificate();
  const rows = [
    ...(await measure("http", createHttpServer(answer))),
    ...(await measure("https", createHttpsServer(tls, answer))),
  ];
  console.log(`${REQUESTS} sequential POSTs after ${WARMUP} warm-up ones, loopback server:\n`);
  console.log("path                      p50        p99        mean       connections");
  for (const [name, latency, connections] of rows) {
    console.log(
      `${name.padEnd(25)} ${ms(latency.p50).padEnd(10)} ${ms(latency.p99).padEnd(10)} ${ms(latency.mean).padEnd(10)} ${connections}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
});
