import { createHash } from "node:crypto";

/**
 * Labels that mark a container or volume as ours. `scope` names one Studio installation (derived
 * from its installation id, see scope.ts), so workers of different Studios sharing a Docker engine
 * never touch each other's containers; `sandbox` names the sandbox a container or volume belongs
 * to, and `pool` marks warm spares not yet handed out.
 */
export const LABEL = {
  managed: "dev.agentos.managed",
  scope: "dev.agentos.scope",
  sandbox: "dev.agentos.sandbox",
  workspace: "dev.agentos.workspace",
  worker: "dev.agentos.worker",
  pool: "dev.agentos.pool",
} as const;

/** The `filters` of a Docker list call for everything of one scope. */
export function scopeFilter(scope: string): { label: string[] } {
  return { label: [`${LABEL.managed}=true`, `${LABEL.scope}=${scope}`] };
}

/** The scope label of a Studio: a digest of its installation id (studio_meta), which outlives key rotations. */
export function scopeOfInstallation(installationId: string): string {
  return digest(`agentos.sandbox-scope.installation:${installationId}`);
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
