// `agentos <command>`: administration of a Studio's database from the shell.
import { parseEnv, StudioEnv } from "../node";
import { rotateSecretKey } from "./rotate-key";

const USAGE = `Usage: agentos secrets rotate-key

  Re-seals every stored secret (vault secrets, provider keys, MCP tokens, sandbox env) under a
  new master key. Hosted: set AGENTOS_SECRET_KEY to the new key and AGENTOS_PREVIOUS_SECRET_KEYS
  to the old one, run this, then drop AGENTOS_PREVIOUS_SECRET_KEYS. Local: a new key replaces
  <AGENTOS_DATA_DIR>/secret.key. Stop web and workers first, or restart them after.`;

async function main(args: string[]): Promise<number> {
  if (args[0] !== "secrets" || args[1] !== "rotate-key") {
    console.error(USAGE);
    return args.length === 0 || args[0] === "--help" ? 0 : 2;
  }
  const env = parseEnv(StudioEnv, process.env, "agentos");
  const result = await rotateSecretKey(env);
  const total = Object.values(result.resealed).reduce((a, b) => a + b, 0);
  console.log(
    `agentos: re-sealed ${total} value(s) under key ${result.currentKeyId} (was ${result.previousKeyIds.join(", ")}): ${JSON.stringify(result.resealed)}`,
  );
  if (result.keyFile)
    console.log(`agentos: the new key is in ${result.keyFile}; the old one is kept beside it.`);
  if (result.droppedSigningKeys > 0) {
    console.log(
      "agentos: OAuth signing keys were reset (AGENTOS_AUTH_SECRET is unset, so they followed the master key): MCP clients and browsers sign in again. Set AGENTOS_AUTH_SECRET to keep them across rotations.",
    );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`agentos: ${(error as Error).message}`);
    process.exit(1);
  },
);
