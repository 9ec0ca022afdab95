import { cpSync, existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

/** The directory of package `name` as seen from `fromDir` (following pnpm's symlinks). */
export function packageDirOf(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Copies package `name` (resolved from `fromDir`) and everything it depends on at run time into
 * `outDir/node_modules`, flat and without symlinks: what a bundle needs for the packages it
 * cannot inline (native addons). Versions are those the lockfile installed. Returns the names copied.
 */
export function vendorPackage(
  name: string,
  fromDir: string,
  outDir: string,
  seen = new Set<string>(),
): string[] {
  if (seen.has(name)) return [];
  const dir = packageDirOf(name, fromDir);
  if (!dir) return [];
  seen.add(name);
  cpSync(dir, join(outDir, "node_modules", name), { recursive: true, dereference: true });
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const dependencies = [
    ...Object.keys(manifest.dependencies ?? {}),
    // Optional ones only when installed: the platform's prebuilt addon is among them (the images
    // are Debian, glibc: musl builds are left out).
    ...Object.keys(manifest.optionalDependencies ?? {}).filter((n) => !n.includes("musl")),
  ];
  // pnpm keeps a package's dependencies beside it (node_modules/.pnpm/<pkg>/node_modules/*).
  const copied = [name];
  for (const dependency of dependencies) copied.push(...vendorPackage(dependency, dir, outDir, seen));
  return copied;
}
