import { ApiError } from "@agentos/client";
import { expect } from "vitest";

/** The ApiError (the API's problem+json) a client call rejects with; fails the test if it resolves. */
export async function problemOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}
