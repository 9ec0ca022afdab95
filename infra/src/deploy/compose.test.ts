import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EXAMPLE_DEPLOYMENTS } from "../config-reference";
import { studioProcess } from "./processes";
import { SECRET_VARIABLES } from "./secrets";

const compose = parse(readFileSync(resolve(import.meta.dirname, "../../compose.yaml"), "utf8")) as {
  services: Record<
    string,
    { environment: Record<string, string | number>; volumes: string[]; ports: string[] }
  >;
};
const studio = compose.services.studio!;
const spec = studioProcess(EXAMPLE_DEPLOYMENTS.compose!);
/** `${VAR:-default}` → default; a literal stays as it is. */
const defaultOf = (value: string | number) =>
  /^\$\{[A-Z_]+:-(.*)\}$/.exec(String(value))?.[1] ?? String(value);

describe("infra/compose.yaml", () => {
  it("gives the studio service the env the infra module computes for compose", () => {
    for (const [name, value] of Object.entries(spec.env)) {
      if (name === "AGENTOS_PUBLIC_URL") continue; // the operator's domain, from .env
      expect(defaultOf(studio.environment[name] ?? "(missing)"), name).toBe(value);
    }
  });

  it("holds no secret value: secrets are interpolated from the .env file", () => {
    const plain = Object.keys(studio.environment).filter((n) => !(n in spec.env));
    expect(plain.sort()).toEqual(["AGENTOS_ADMIN_EMAIL", "AGENTOS_ADMIN_PASSWORD", "AGENTOS_SECRET_KEY"]);
    for (const [name, value] of Object.entries(studio.environment)) {
      if (SECRET_VARIABLES.has(name)) expect(String(value), name).toMatch(/^\$\{[A-Z_]+(:[?-][^}]*)?\}$/);
    }
    expect(String(studio.environment.AGENTOS_SECRET_KEY)).toMatch(/^\$\{AGENTOS_SECRET_KEY:\?/);
  });

  it("keeps data on a named volume, mounts the Docker socket, publishes the Studio on loopback", () => {
    expect(studio.volumes).toEqual(["studio-data:/data", "/var/run/docker.sock:/var/run/docker.sock"]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, not a template.
    expect(studio.ports).toEqual(["${STUDIO_BIND:-127.0.0.1}:${STUDIO_PORT:-3000}:3000"]);
    expect(compose.services.caddy).toMatchObject({ profiles: ["caddy"] });
  });
});
