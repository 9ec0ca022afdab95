import { z } from "zod";
import { Id } from "../ids";
import { Timestamp } from "./common";

export const FileOwner = z.object({
  kind: z.enum(["workspace", "agent", "run", "conversation"]),
  id: Id.nullable(),
});
export type FileOwner = z.infer<typeof FileOwner>;

export const File = z.object({
  id: Id,
  workspaceId: Id,
  name: z.string().min(1).max(500),
  size: z.number().int().nonnegative(),
  mediaType: z.string().max(200),
  sha256: z.string().length(64),
  owner: FileOwner,
  createdAt: Timestamp,
});
export type File = z.infer<typeof File>;
