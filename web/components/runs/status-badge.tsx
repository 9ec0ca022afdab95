import type { RunStatus } from "@agentos/core";
import { Badge, type Tone } from "../ui/badge";

const TONE: Record<RunStatus, Tone> = {
  queued: "neutral",
  running: "info",
  waiting: "warning",
  succeeded: "success",
  failed: "danger",
  cancelled: "neutral",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <Badge tone={TONE[status]} data-status={status}>
      {status}
    </Badge>
  );
}
