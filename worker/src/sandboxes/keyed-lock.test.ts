import { describe, expect, it } from "vitest";
import { KeyedLock } from "./keyed-lock";

describe("KeyedLock", () => {
  it("runs work of one key one at a time, in order, even after a failure", async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = lock.run("a", async () => {
      order.push("a1 start");
      await gate;
      order.push("a1 end");
      throw new Error("a1 failed");
    });
    const second = lock.run("a", async () => order.push("a2"));
    const other = lock.run("b", async () => order.push("b1"));
    await other;
    expect(order).toEqual(["a1 start", "b1"]);
    release();
    await expect(first).rejects.toThrow("a1 failed");
    await second;
    expect(order).toEqual(["a1 start", "b1", "a1 end", "a2"]);
  });
});
