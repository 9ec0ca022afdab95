import { Id } from "@agentos/core";
import { z } from "@hono/zod-openapi";

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });

export const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const IdParams = z.object({ id: Id.meta({ example: "agt_01jh5x4y8k2m3n4p5q6r7s8t9v" }) });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: "Page size, 1–200" }),
  cursor: z.string().max(1000).optional().meta({ description: "nextCursor of the previous page" }),
  sort: z
    .string()
    .regex(/^-?[A-Za-z]+$/, "must be a field name, with - in front for descending")
    .optional()
    .meta({ description: "Field to sort by; - for descending. Default -createdAt" }),
  q: z.string().max(200).optional().meta({ description: "Case-insensitive search in the name" }),
});

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id: name });

/** Standard error responses every route can produce. */
export const commonErrors = {
  400: problem("The request is invalid; `errors` names each bad field"),
  401: problem("Authentication required or the token is invalid"),
  500: problem("Unexpected server error"),
};
