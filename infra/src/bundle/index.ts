import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { packageDirOf, vendorPackage } from "./vendor";

export { vendorPackage } from "./vendor";

/** Node entry points of the images, bundled into one ESM file each. */
export const BUNDLES = {
  worker: "worker/src/main.ts",
  server: "packages/server/src/main.ts",
  agentos: "packages/server/src/agentos.ts",
  supervisor: "infra/src/supervisor/main.ts",
} as const;

/**
 * Packages left out of the bundles and copied beside them: native addons, which esbuild cannot
 * inline (libsql loads its prebuilt binary with a computed `require`).
 */
export const EXTERNAL_PACKAGES = ["libsql"] as const;
/** Where the externals are installed: beside @libsql/client, which the db package depends on. */
const EXTERNALS_FROM = ["packages/db", "@libsql/client"] as const;

// ESM output still meets CommonJS dependencies that use require, __dirname and __filename.
const CJS_SHIM = [
  'import { createRequire as __agentosCreateRequire } from "node:module";',
  'import { fileURLToPath as __agentosFileURLToPath } from "node:url";',
  "const require = __agentosCreateRequire(import.meta.url);",
  "const __filename = __agentosFileURLToPath(import.meta.url);",
  'const __dirname = __agentosFileURLToPath(new URL(".", import.meta.url));',
].join("\n");

export interface BundleReport {
  files: Record<string, number>;
  vendored: string[];
}

/**
 * Bundles the worker, the headless server, the `agentos` CLI and the studio supervisor into
 * `outDir` (one .mjs each, minified whitespace and syntax, names kept for error classes), and
 * copies the external packages into `outDir/node_modules`.
 */
export async function bundleProcesses(root: string, outDir: string): Promise<BundleReport> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(BUNDLES).map(([name, path]) => [name, join(root, path)])),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: "none",
    // cpu-features (ssh2, for Docker over ssh://) and ssh2's crypto addon are optional and required
    // inside try/catch: without them ssh2 uses its JavaScript code.
    external: [...EXTERNAL_PACKAGES, "cpu-features", "*.node"],
    banner: { js: CJS_SHIM },
    logLevel: "warning",
    logOverride: { "require-resolve-not-external": "silent", "empty-import-meta": "silent" },
  });
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  const from = packageDirOf(EXTERNALS_FROM[1], join(root, EXTERNALS_FROM[0]));
  if (!from) throw new Error(`${EXTERNALS_FROM[1]} is not installed: run pnpm install first.`);
  const vendored = EXTERNAL_PACKAGES.flatMap((name) => vendorPackage(name, from, outDir));
  const files = Object.fromEntries(
    Object.keys(BUNDLES).map((name) => [`${name}.mjs`, statSync(join(outDir, `${name}.mjs`)).size]),
  );
  return { files, vendored };
}
