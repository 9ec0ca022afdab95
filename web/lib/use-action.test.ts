import { describe, expect, it } from "vitest";
import { type ActionState, runAction } from "./use-action";

/** An ActionState that records each change, in order. */
function makeState() {
  const changes: Array<["busy", string | null] | ["error", unknown]> = [];
  const state: ActionState<string> = {
    setBusy: (name) => changes.push(["busy", name]),
    setError: (error) => changes.push(["error", error]),
  };
  return { state, changes };
}

describe("runAction", () => {
  it("is busy under the action's name while it runs, clears the last error first, and resolves true", async () => {
    const { state, changes } = makeState();
    let seenWhileRunning: unknown[] = [];
    const ok = await runAction(state, "save", async () => {
      seenWhileRunning = [...changes];
    });
    expect(ok).toBe(true);
    expect(seenWhileRunning).toEqual([
      ["busy", "save"],
      ["error", null],
    ]);
    expect(changes).toEqual([
      ["busy", "save"],
      ["error", null],
      ["busy", null],
    ]);
  });

  it("keeps the action's error, stops being busy and resolves false instead of throwing", async () => {
    const { state, changes } = makeState();
    const failure = new Error("409 conflict");
    const ok = await runAction(state, "delete", async () => {
      throw failure;
    });
    expect(ok).toBe(false);
    expect(changes).toEqual([
      ["busy", "delete"],
      ["error", null],
      ["error", failure],
      ["busy", null],
    ]);
  });

  it("with keepBusy stays busy after a success (the page is leaving) but not after a failure", async () => {
    const leaving = makeState();
    expect(await runAction(leaving.state, "create", async () => {}, { keepBusy: true })).toBe(true);
    expect(leaving.changes.at(-1)).toEqual(["error", null]);

    const failed = makeState();
    const failure = new Error("invalid");
    const ok = await runAction(
      failed.state,
      "create",
      async () => {
        throw failure;
      },
      { keepBusy: true },
    );
    expect(ok).toBe(false);
    expect(failed.changes.slice(-2)).toEqual([
      ["error", failure],
      ["busy", null],
    ]);
  });
});
