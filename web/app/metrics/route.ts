import type { Studio } from "@agentos/api/node";
import { getStudio } from "../../lib/studio";

// Prometheus metrics of the web process (packages/api serves them); Next.js only mounts the route.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  let studio: Studio;
  try {
    studio = await getStudio();
  } catch (error) {
    console.error("[web] cannot open the Studio for /metrics:", error);
    return new Response("# the Studio could not open its database\n", { status: 503 });
  }
  return studio.api.fetch(request);
}
