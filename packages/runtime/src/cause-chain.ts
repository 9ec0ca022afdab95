/** `error` and its `cause`s, outermost first (at most `max`; a non-object ends the chain). */
export function causeChain(error: unknown, max = 8): unknown[] {
  const chain: unknown[] = [];
  for (
    let e = error;
    e !== undefined && e !== null && chain.length < max;
    e = (e as { cause?: unknown }).cause
  ) {
    chain.push(e);
    if (typeof e !== "object") break;
  }
  return chain;
}
