import { z } from "zod";
import { Id } from "../ids";
import { Stored, updateOf } from "./common";

export const FeedbackRating = z.enum(["up", "down"]);

const FeedbackFields = z.object({
  rating: FeedbackRating,
  comment: z.string().max(10_000).default(""),
  runId: Id.nullable().default(null),
  messageId: Id.nullable().default(null),
});
export const FeedbackCreate = FeedbackFields.refine((f) => (f.runId === null) !== (f.messageId === null), {
  message: "give exactly one of runId or messageId",
  path: ["runId"],
});
export type FeedbackCreate = z.input<typeof FeedbackCreate>;
export const FeedbackUpdate = updateOf(FeedbackFields).pick({ rating: true, comment: true });
export type FeedbackUpdate = z.input<typeof FeedbackUpdate>;

export const Feedback = z.object({
  id: Id,
  workspaceId: Id,
  ...FeedbackFields.shape,
  agentId: Id.nullable().describe("Agent of the rated run or message, for filtering"),
  ...Stored,
});
export type Feedback = z.infer<typeof Feedback>;
