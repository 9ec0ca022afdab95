import { problemOf } from "@agentos/api";
import type { Studio } from "@agentos/api/node";
import { getStudio } from "../../../lib/studio";

// The contract API (packages/api) answers every /api/* request; Next.js only mounts it and hands
// over the untouched Request, body stream included.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  let studio: Studio;
  try {
    studio = await getStudio();
  } catch (error) {
    // Opening failed (bad setting, database unreachable): still answer in the contract's error
    // format, without internals; the cause goes to the server log.
    console.error("[web] cannot open the Studio:", error);
    const problem = problemOf(error);
    return Response.json(problem, {
      status: problem.status,
      headers: { "content-type": "application/problem+json" },
    });
  }
  return studio.api.fetch(request);
}

export {
  handle as DELETE,
  handle as GET,
  handle as HEAD,
  handle as OPTIONS,
  handle as PATCH,
  handle as POST,
  handle as PUT,
};
