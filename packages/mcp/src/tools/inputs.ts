import { z } from "zod";

/** Paging arguments of the list tools; smaller pages than the API's default suit a model's context. */
export const PageInput = {
  limit: z.number().int().min(1).max(200).default(20).describe("Page size, 1–200"),
  cursor: z.string().max(1000).optional().describe("nextCursor of the previous page, to continue"),
};

export const SearchInput = {
  ...PageInput,
  q: z.string().max(200).optional().describe("Case-insensitive search in the name"),
  sort: z
    .string()
    .regex(/^-?[A-Za-z]+$/, "must be a field name, with - in front for descending")
    .optional()
    .describe("Field to sort by, - in front for descending (default -createdAt)"),
};

/** Whether a run-starting tool waits for the run to finish, and for how long. */
export const WaitInput = {
  wait: z
    .boolean()
    .default(true)
    .describe(
      "Wait for the run to finish, with a progress notification per run event; false returns the queued run at once",
    ),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(300)
    .describe("Longest wait; the run goes on after it, and get_run tells its status later"),
};
