import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The Docker images run Next's standalone server (infra/docker/Dockerfile sets this); `next start`,
  // which the tests and `./run studio` use, stays free of the standalone copy and its warning.
  // The image build skips Next's own type check: CI type-checks web (`tsc -p web`) before images.
  ...(process.env.AGENTOS_WEB_STANDALONE === "1"
    ? { output: "standalone" as const, typescript: { ignoreBuildErrors: true } }
    : {}),
  // Workspace packages export their TypeScript source (no build step between packages).
  transpilePackages: [
    "@agentos/api",
    "@agentos/client",
    "@agentos/core",
    "@agentos/db",
    "@agentos/mcp",
    "@agentos/runtime",
  ],
  // libSQL loads a native addon, which must be required at run time, not bundled.
  serverExternalPackages: ["@libsql/client", "libsql", "pino", "prom-client"],
  // The workspace packages live outside web/; Turbopack only resolves files under its root.
  turbopack: { root: fileURLToPath(new URL("..", import.meta.url)) },
  poweredByHeader: false,
  // The API answers /api/x/ itself (404, as on the headless server) instead of Next redirecting.
  skipTrailingSlashRedirect: true,
  // Run events stream as SSE; Next's gzip would buffer them. A reverse proxy compresses instead.
  compress: false,
};

export default nextConfig;
