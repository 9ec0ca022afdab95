import { ApiError } from "@agentos/client";

/** What went wrong, ready to show: the API's problem fields, or a plain error's message. */
export interface Problem {
  title: string;
  detail: string;
  status: number | null;
  errors: Array<{ path: string; message: string }>;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError || isApiErrorLike(error)) {
    const p = error.problem;
    return { title: p.title, detail: p.detail ?? "", status: error.status, errors: p.errors ?? [] };
  }
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) {
    return {
      title: "The server cannot be reached",
      detail: `${error.message}. Check that the Studio (or the remote server in Settings → Connection) is running.`,
      status: null,
      errors: [],
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { title: "Something went wrong", detail: message, status: null, errors: [] };
}

/** `ApiError` from another bundle copy (instanceof can lie across bundles). */
function isApiErrorLike(error: unknown): error is ApiError {
  return (
    typeof error === "object" &&
    error !== null &&
    "problem" in error &&
    "status" in error &&
    typeof (error as { problem: unknown }).problem === "object"
  );
}

/**
 * Field errors keyed by the form's own field path: `body.model.providerId` → `model.providerId`.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { path, message } of problemOf(error).errors) {
    const key = path.replace(/^body\./, "");
    out[key] ??= message;
  }
  return out;
}

/** A status the caller treats as "this feature is not on this server": 404 or 503. */
export function isUnavailable(error: unknown): boolean {
  const { status } = problemOf(error);
  return status === 404 || status === 503 || status === 501;
}

/**
 * Whether the server lacks a feature: its API answers 404 "No endpoint …" (an older server), or
 * 503 (no worker able to serve it). A 404 for a missing item is not that.
 */
export function isFeatureMissing(error: unknown): boolean {
  const { status, detail } = problemOf(error);
  return status === 503 || (status === 404 && detail.startsWith("No endpoint"));
}
