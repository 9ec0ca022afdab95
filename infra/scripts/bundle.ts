// `pnpm -F @agentos/infra bundle [outDir]`: the worker, server, CLI and supervisor as bundles (the
// Docker images run these; see infra/docker/Dockerfile).
import { resolve } from "node:path";
import { bundleProcesses } from "../src/bundle";

const root = resolve(import.meta.dirname, "../..");
const outDir = resolve(process.argv[2] ?? resolve(root, "infra/dist"));
const report = await bundleProcesses(root, outDir);
for (const [file, bytes] of Object.entries(report.files))
  console.log(`${file}\t${(bytes / 1024).toFixed(0)} KiB`);
console.log(`vendored: ${report.vendored.join(", ")}`);
