import { BoxIcon } from "lucide-react";
import { problemOf } from "../../lib/problem";
import { EmptyState } from "../ui/feedback";

/** What the page shows when this server has no sandbox support (404) or no Docker worker (503). */
export function SandboxesUnavailable({ error }: { error: unknown }) {
  const problem = problemOf(error);
  return (
    <EmptyState
      icon={<BoxIcon />}
      title={
        problem.status === 404
          ? "This server has no sandbox support yet"
          : "Sandboxes are unavailable right now"
      }
    >
      <p>{problem.detail || problem.title}</p>
      <p className="mt-2">
        Sandboxes run as Docker containers on a worker host: start the Studio with a worker that can reach
        Docker (<code>./run studio</code> on a machine with Docker).
      </p>
    </EmptyState>
  );
}
