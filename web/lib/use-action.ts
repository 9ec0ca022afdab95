"use client";
import { useCallback, useState } from "react";

export interface RunOptions {
  /**
   * Stay busy after a success: for an action that navigates away or removes this component, so
   * its buttons do not come back on (and invite a second click) before it goes.
   */
  keepBusy?: boolean;
}

export interface ActionState<Name extends string> {
  setBusy(name: Name | null): void;
  setError(error: unknown): void;
}

/**
 * Runs one action under a name: busy while it runs, the last error cleared first and the new one
 * kept. Resolves true when the action succeeded, never rejects.
 */
export async function runAction<Name extends string>(
  state: ActionState<Name>,
  name: Name,
  action: () => Promise<unknown>,
  options: RunOptions = {},
): Promise<boolean> {
  state.setBusy(name);
  state.setError(null);
  try {
    await action();
  } catch (error) {
    state.setError(error);
    state.setBusy(null);
    return false;
  }
  if (!options.keepBusy) state.setBusy(null);
  return true;
}

export interface Action<Name extends string> {
  /** The name of the action running, or null. */
  busy: Name | null;
  /** The last action's error (an `ApiError` carries the API's problem), for `ErrorAlert`. */
  error: unknown;
  /** For failures found before calling the API (a form's own checks). */
  setError(error: unknown): void;
  run(name: Name, action: () => Promise<unknown>, options?: RunOptions): Promise<boolean>;
}

/** Busy state and the API's error for a component's buttons; prompts like confirm() stay in the caller. */
export function useAction<Name extends string>(): Action<Name> {
  const [busy, setBusy] = useState<Name | null>(null);
  const [error, setError] = useState<unknown>(null);
  // State setters are stable, so `run` is too: callers may list it in effect dependencies.
  const run = useCallback(
    (name: Name, action: () => Promise<unknown>, options?: RunOptions) =>
      runAction<Name>({ setBusy, setError }, name, action, options),
    [],
  );
  return { busy, error, setError, run };
}
