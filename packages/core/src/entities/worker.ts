import { z } from "zod";
import { Id } from "../ids";
import { Timestamp } from "./common";

export const Worker = z.object({
  id: Id,
  baseUrl: z.url(),
  capabilities: z.object({ docker: z.boolean(), ollama: z.boolean() }),
  capacity: z.number().int().min(0),
  status: z.enum(["online", "draining", "gone"]),
  lastHeartbeatAt: Timestamp,
  startedAt: Timestamp,
});
export type Worker = z.infer<typeof Worker>;
