import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  END_MARKER,
  normalizeTables,
  PROCESS_SCHEMAS,
  renderConfigReference,
  START_MARKER,
  variablesOf,
} from ".";

const README = resolve(import.meta.dirname, "../../../README.md");

describe("configuration reference", () => {
  it("README.md's reference is current (regenerate with `pnpm -F @agentos/infra config-reference`)", () => {
    const readme = readFileSync(README, "utf8");
    const section = readme.slice(
      readme.indexOf(START_MARKER),
      readme.indexOf(END_MARKER) + END_MARKER.length,
    );
    expect(normalizeTables(section)).toBe(normalizeTables(renderConfigReference()));
  });

  it("lists every variable of every process schema, with its default", () => {
    const rendered = renderConfigReference();
    for (const schema of Object.values(PROCESS_SCHEMAS)) {
      for (const variable of variablesOf(schema)) {
        const row = rendered.split("\n").find((line) => line.startsWith(`| \`${variable.name}\``));
        expect(row, variable.name).toBeDefined();
        if (variable.default !== null && variable.default !== "")
          expect(row).toContain(`\`${variable.default}\``);
      }
    }
  });
});
