import { z } from "zod";
import { PORTS } from "../deploy/ports";
import { type DeploymentSettings, studioProcess, webProcess, workerProcess } from "../deploy/processes";
import { SECRET_VARIABLES } from "../deploy/secrets";
import { PROCESS_SCHEMAS } from "./schemas";

export { PROCESS_SCHEMAS } from "./schemas";

export const START_MARKER = "<!-- config-reference:start -->";
export const END_MARKER = "<!-- config-reference:end -->";

export interface Variable {
  name: string;
  description: string;
  default: string | null;
  /** Allowed values, for enums. */
  values: string[] | null;
}

interface JsonProperty {
  description?: string;
  default?: unknown;
  enum?: unknown[];
}

/** The variables of one env schema: name, `.describe()` text, default and allowed values. */
export function variablesOf(schema: z.ZodObject): Variable[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonProperty>;
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    description: property.description ?? "",
    default: property.default === undefined ? null : String(property.default),
    values: property.enum ? property.enum.map(String) : null,
  }));
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (text: string) => (text === "" ? "empty" : `\`${text}\``);

/** Example settings of each deployment, for the per-mode table. */
export const EXAMPLE_DEPLOYMENTS: Record<string, DeploymentSettings> = {
  compose: {
    platform: "compose",
    publicUrl: "https://studio.example.com",
    sitesDomain: "sites.example.com",
    database: "file",
    engine: "local",
    docker: "host-socket",
    workerCapacity: 8,
    dataDir: "/data",
  },
  kubernetes: {
    platform: "kubernetes",
    publicUrl: "https://studio.example.com",
    sitesDomain: "sites.example.com",
    database: "file",
    engine: "local",
    docker: "dind-sidecar",
    workerCapacity: 8,
    dataDir: "/data",
  },
  cloud: {
    platform: "cloud",
    publicUrl: "https://studio.example.com",
    sitesDomain: "sites.example.com",
    database: "libsql",
    engine: "inngest",
    docker: "host-socket",
    workerCapacity: 8,
    dataDir: "/tmp/agentos",
  },
};

/** The README section between the markers: every variable and port, and what each mode sets. */
export function renderConfigReference(): string {
  const processes = Object.keys(PROCESS_SCHEMAS) as Array<keyof typeof PROCESS_SCHEMAS>;
  const byName = new Map<string, { variable: Variable; in: Set<string>; defaults: Map<string, string[]> }>();
  for (const process of processes) {
    for (const variable of variablesOf(PROCESS_SCHEMAS[process])) {
      const entry = byName.get(variable.name) ?? { variable, in: new Set<string>(), defaults: new Map() };
      entry.in.add(process);
      if (!entry.variable.description && variable.description) entry.variable = variable;
      if (variable.default !== null) {
        entry.defaults.set(variable.default, [...(entry.defaults.get(variable.default) ?? []), process]);
      }
      byName.set(variable.name, entry);
    }
  }
  // One default, or each process's own where they differ (the studio image listens beyond loopback).
  const defaultCell = (defaults: Map<string, string[]>) =>
    defaults.size === 0
      ? "—"
      : defaults.size === 1
        ? code([...defaults.keys()][0]!)
        : [...defaults].map(([value, where]) => `${code(value)} (${where.join(", ")})`).join(", ");
  const lines: string[] = [
    START_MARKER,
    "<!-- Generated from the processes' zod env schemas by `pnpm -F @agentos/infra config-reference`; a test fails when it is stale. -->",
    "",
    "Each process parses its environment once at start with its zod schema (`StudioEnv` for web,",
    "`ServerEnv`, `WorkerEnv`, and the studio image's launcher); a bad value stops it with the",
    "variable's name. 🔒 marks secrets: keep them in a secret store, never in plain config.",
    "",
    "| variable | web | worker | server | studio image | default | meaning |",
    "| --- | :-: | :-: | :-: | :-: | --- | --- |",
  ];
  for (const { variable, in: where, defaults } of [...byName.values()].sort((a, b) =>
    a.variable.name.localeCompare(b.variable.name),
  )) {
    const marks = processes.map((p) => (where.has(p) ? "✓" : ""));
    const values = variable.values ? ` (${variable.values.map(code).join(", ")})` : "";
    const lock = SECRET_VARIABLES.has(variable.name) ? " 🔒" : "";
    lines.push(
      `| \`${variable.name}\`${lock} | ${marks.join(" | ")} | ${defaultCell(defaults)} | ${cell(variable.description)}${cell(values)} |`,
    );
  }
  lines.push(
    "",
    "**What each deployment sets** (computed by `infra/src/deploy`; `./run studio` uses the schema defaults",
    "above: local mode, loopback, `.data/`). Compose and Kubernetes run the studio image (web + worker);",
    "the cloud runs web and workers apart.",
    "",
  );
  const specs = {
    compose: studioProcess(EXAMPLE_DEPLOYMENTS.compose!),
    kubernetes: studioProcess(EXAMPLE_DEPLOYMENTS.kubernetes!),
    "cloud web": webProcess(EXAMPLE_DEPLOYMENTS.cloud!),
    "cloud worker": workerProcess(EXAMPLE_DEPLOYMENTS.cloud!),
  };
  const columns = Object.keys(specs) as Array<keyof typeof specs>;
  const names = [
    ...new Set(columns.flatMap((c) => [...Object.keys(specs[c].env), ...specs[c].secrets])),
  ].sort();
  lines.push(`| variable | ${columns.join(" | ")} |`, `| --- | ${columns.map(() => "---").join(" | ")} |`);
  for (const name of names) {
    const values = columns.map((c) => {
      const spec = specs[c];
      if (spec.secrets.includes(name)) return "🔒 secret";
      const value = spec.env[name];
      return value === undefined ? "" : code(value);
    });
    lines.push(`| \`${name}\` | ${values.map(cell).join(" | ")} |`);
  }
  lines.push("", "**Ports**", "", "| port | variable | process | what |", "| --- | --- | --- | --- |");
  for (const port of Object.values(PORTS)) {
    lines.push(`| ${port.port} | \`${port.variable}\` | ${port.process} | ${cell(port.what)} |`);
  }
  lines.push(END_MARKER);
  return lines.join("\n");
}

/** `readme` with the section between the markers replaced by the current reference. */
export function withConfigReference(readme: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${START_MARKER} … ${END_MARKER} section to fill.`);
  }
  return `${readme.slice(0, start)}${renderConfigReference()}${readme.slice(end + END_MARKER.length)}`;
}

/**
 * Markdown with table padding removed, so a section compares equal before and after Biome aligns
 * its tables (the README is formatted by Biome like every file).
 */
export function normalizeTables(markdown: string): string {
  return markdown
    .split("\n")
    .map((line) => {
      if (!line.startsWith("|")) return line;
      return line
        .split(/(?<!\\)\|/)
        .map((cell) => {
          const trimmed = cell.trim();
          if (!/^:?-+:?$/.test(trimmed)) return trimmed;
          return `${trimmed.startsWith(":") ? ":" : ""}---${trimmed.endsWith(":") && trimmed.length > 1 ? ":" : ""}`;
        })
        .join("|");
    })
    .join("\n");
}
