// `agentos <command>`: administration of a Studio from the shell. A command is one entry of COMMANDS.
import { join } from "node:path";
import { parseEnv, rotateSecretKey, StudioEnv } from "@agentos/api/node";
import { backupDatabase, openDatabase, restoreDatabase } from "@agentos/db";

type Env = StudioEnv;

interface Command {
  usage: string;
  run(args: string[], env: Env): Promise<void>;
}

function databaseUrlOf(env: Env): string {
  return env.DATABASE_URL ?? `file:${join(env.AGENTOS_DATA_DIR, "studio.db")}`;
}

function databaseFileOf(env: Env): string {
  const url = databaseUrlOf(env);
  if (!url.startsWith("file:")) {
    throw new Error(
      `DATABASE_URL is ${url.split("?")[0]}, a libSQL server: back it up and restore it with the server's own tooling.`,
    );
  }
  return url.startsWith("file://") ? new URL(url).pathname : url.slice("file:".length);
}

const backup: Command = {
  usage: `agentos backup <file>
      Online backup of the database file (VACUUM INTO) while web and workers keep running; the copy
      is checked with PRAGMA integrity_check before it gets its name.`,
  async run([file], env) {
    if (!file) throw new Error("Say where to write the backup: agentos backup /backups/studio.db");
    databaseFileOf(env);
    const db = await openDatabase({ url: databaseUrlOf(env), authToken: env.DATABASE_AUTH_TOKEN });
    try {
      const result = await backupDatabase(db, file);
      console.log(
        `agentos: backed up to ${result.path} (${result.bytes} bytes, ${Math.round(result.tookMs)} ms, ${result.schema.applied} migrations)`,
      );
    } finally {
      db.$client.close();
    }
  },
};

const restore: Command = {
  usage: `agentos restore <file> [--force]
      Replaces the database file with a backup. Stop web and workers first: this refuses while a
      worker has a fresh heartbeat (--force skips that check). The old file is kept beside it.`,
  async run(args, env) {
    const file = args.find((a) => !a.startsWith("--"));
    if (!file) throw new Error("Name the backup to restore: agentos restore /backups/studio.db");
    const target = databaseFileOf(env);
    if (!args.includes("--force")) {
      const db = await openDatabase({ url: databaseUrlOf(env) });
      try {
        const cutoff = new Date(Date.now() - 60_000).toISOString();
        const live = await db.$client
          .execute({
            sql: "SELECT count(*) FROM workers WHERE status = 'online' AND last_heartbeat_at >= ?",
            args: [cutoff],
          })
          .catch(() => ({ rows: [[0]] }));
        if (Number(live.rows[0]?.[0] ?? 0) > 0) {
          throw new Error(
            "A worker is running on this database (fresh heartbeat). Stop the Studio (web and workers) first, or pass --force if it is gone.",
          );
        }
      } finally {
        db.$client.close();
      }
    }
    const result = await restoreDatabase(file, target);
    console.log(
      `agentos: restored ${result.path} from ${file}${result.previous ? ` (the previous file is ${result.previous})` : ""}; ${result.schema.pending} migration(s) will be applied at the next start`,
    );
  },
};

const rotateKey: Command = {
  usage: `agentos secrets rotate-key
      Re-seals every stored secret under a new master key. Hosted: set AGENTOS_SECRET_KEY to the new
      key and AGENTOS_PREVIOUS_SECRET_KEYS to the old one, run this, then drop the old one. Local: a
      new key replaces <AGENTOS_DATA_DIR>/secret.key. Stop web and workers first, or restart them after.`,
  async run(_args, env) {
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
  },
};

const COMMANDS: Record<string, Command> = {
  backup,
  restore,
  "secrets rotate-key": rotateKey,
};

/** Finds the command named by the first one or two arguments. */
function commandOf(args: string[]): { command: Command; rest: string[] } | null {
  for (const words of [2, 1]) {
    const command = COMMANDS[args.slice(0, words).join(" ")];
    if (command) return { command, rest: args.slice(words) };
  }
  return null;
}

/** Runs `agentos <command> …` and resolves with the exit code. */
export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const found = commandOf(args);
  if (!found) {
    const usage = Object.values(COMMANDS)
      .map((c) => `  ${c.usage}`)
      .join("\n\n");
    console.error(
      `Usage:\n${usage}\n\nSettings come from the environment, as for the Studio (DATABASE_URL, AGENTOS_DATA_DIR, …).`,
    );
    return args.length === 0 || args[0] === "--help" || args[0] === "help" ? 0 : 2;
  }
  try {
    await found.command.run(found.rest, parseEnv(StudioEnv, env, "agentos"));
    return 0;
  } catch (error) {
    console.error(`agentos: ${(error as Error).message}`);
    return 1;
  }
}
