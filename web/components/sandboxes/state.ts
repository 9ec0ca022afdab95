import type { Tone } from "../ui/badge";

export const STATE_TONE: Record<string, Tone> = {
  creating: "info",
  running: "success",
  stopped: "neutral",
  missing: "warning",
  error: "danger",
  removed: "neutral",
};
