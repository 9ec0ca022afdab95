import { describe, expect, it } from "vitest";
import { createdRange, dayOf } from "./date-range";

describe("the runs date filter", () => {
  it("includes the whole of both days: from midnight of `from` to midnight after `to`", () => {
    expect(createdRange("2025-01-31", "2025-02-28")).toEqual({
      ok: true,
      query: { createdAfter: "2025-01-31T00:00:00.000Z", createdBefore: "2025-03-01T00:00:00.000Z" },
    });
    expect(createdRange("2025-03-02", "2025-03-02")).toEqual({
      ok: true,
      query: { createdAfter: "2025-03-02T00:00:00.000Z", createdBefore: "2025-03-03T00:00:00.000Z" },
    });
  });

  it("leaves out a bound that is not given", () => {
    expect(createdRange(undefined, "2024-12-31")).toEqual({
      ok: true,
      query: { createdBefore: "2025-01-01T00:00:00.000Z" },
    });
    expect(createdRange(undefined, undefined)).toEqual({ ok: true, query: {} });
  });

  it("explains a range that ends before it starts", () => {
    expect(createdRange("2025-02-01", "2025-01-01")).toMatchObject({ ok: false });
  });

  it("reads only real days from the URL", () => {
    expect(dayOf("2025-02-28")).toBe("2025-02-28");
    expect(dayOf("2025-02-30")).toBeUndefined();
    expect(dayOf("yesterday")).toBeUndefined();
    expect(dayOf(undefined)).toBeUndefined();
  });
});
