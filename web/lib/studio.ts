import { openStudio, parseEnv, type Studio, StudioEnv } from "@agentos/api/node";

// On globalThis so that dev HMR, which re-evaluates this module, reuses the open database.
const STUDIO = Symbol.for("agentos.web.studio");
type StudioGlobal = typeof globalThis & { [STUDIO]?: Promise<Studio> };

/**
 * The process-wide Studio (database, migrations, API), opened on first use at request time so
 * that `next build` never touches a database.
 */
export function getStudio(): Promise<Studio> {
  const global = globalThis as StudioGlobal;
  let studio = global[STUDIO];
  if (!studio) {
    studio = openFromEnv();
    global[STUDIO] = studio;
    // A failed open (database unreachable, bad setting) is not kept: the next request retries it.
    studio.catch(() => {
      if (global[STUDIO] === studio) delete global[STUDIO];
    });
  }
  return studio;
}

async function openFromEnv(): Promise<Studio> {
  return openStudio(parseEnv(StudioEnv, process.env, "agentos-web"));
}
