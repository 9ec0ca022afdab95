// `pnpm -F @agentos/infra config-reference`: regenerates README.md's configuration reference, then
// lets Biome align its tables as it formats every file.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { withConfigReference } from "../src/config-reference";

const root = resolve(import.meta.dirname, "../..");
const readme = resolve(root, "README.md");
writeFileSync(readme, withConfigReference(readFileSync(readme, "utf8")));
execFileSync(resolve(root, "node_modules/.bin/biome"), ["format", "--write", readme], { stdio: "ignore" });
console.log(`config-reference: ${readme} updated`);
