import { AgentOsError, type FieldError } from "@agentos/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";

/** RFC 9457 problem details, with `errors` naming each bad field for validation failures. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

const PROBLEM_TYPE_BASE = "https://agentos.dev/problems/";

export function problemJson(c: Context, problem: Problem, headers?: Record<string, string>): Response {
  return c.body(JSON.stringify(problem), problem.status as 400, {
    "content-type": "application/problem+json",
    ...headers,
  });
}

export function fieldErrorsOf(error: ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [target, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}

const targetNames: Record<string, string> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
};

/** Builds the 400 problem for a failed zod validation of one request part. */
export function validationProblem(error: ZodError, target: string): Problem {
  const errors = fieldErrorsOf(error, targetNames[target] ?? target);
  return {
    type: `${PROBLEM_TYPE_BASE}invalid`,
    title: "Invalid request",
    status: 400,
    code: "invalid",
    detail: errors.map((e) => `${e.path}: ${e.message}`).join("; "),
    errors,
  };
}

/** Maps any thrown value to problem+json; unknown errors become a 500 without internals. */
export function problemOf(error: unknown): Problem {
  if (AgentOsError.isInstance(error)) {
    return {
      type: `${PROBLEM_TYPE_BASE}${error.code}`,
      title: error.title,
      status: error.status,
      code: error.code,
      detail: error.message,
      ...(error.errors ? { errors: error.errors } : {}),
    };
  }
  if (error instanceof HTTPException) {
    const malformed = error.status === 400 && /JSON/i.test(error.message);
    return {
      type: `${PROBLEM_TYPE_BASE}${malformed ? "malformed_json" : "http"}`,
      title: malformed ? "Malformed JSON" : "Request rejected",
      status: error.status,
      code: malformed ? "malformed_json" : "http",
      detail: malformed
        ? "The request body is not valid JSON."
        : error.message || "The request was rejected.",
    };
  }
  return {
    type: `${PROBLEM_TYPE_BASE}internal`,
    title: "Internal server error",
    status: 500,
    code: "internal",
    detail:
      "Something went wrong on the server; it has been logged. Try again, and report it if it persists.",
  };
}
