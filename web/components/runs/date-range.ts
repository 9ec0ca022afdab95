const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` day that exists, or undefined (the URL may hold anything). */
export function dayOf(value: string | undefined): string | undefined {
  if (!value || !DAY.test(value)) return undefined;
  const time = Date.parse(`${value}T00:00:00.000Z`);
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value ? undefined : value;
}

export type CreatedRange =
  | { ok: true; query: { createdAfter?: string; createdBefore?: string } }
  | { ok: false; problem: string };

/**
 * The runs filter's `from` and `to` days (UTC, both included, as the runs list shows times) as the
 * API's range: `createdAfter` at the start of `from` (inclusive), `createdBefore` at the start of
 * the day after `to` (exclusive).
 */
export function createdRange(from: string | undefined, to: string | undefined): CreatedRange {
  if (from && to && to < from) {
    return { ok: false, problem: `The range ends (${to}) before it starts (${from}); swap the dates.` };
  }
  return {
    ok: true,
    query: {
      ...(from ? { createdAfter: `${from}T00:00:00.000Z` } : {}),
      ...(to ? { createdBefore: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString() } : {}),
    },
  };
}
