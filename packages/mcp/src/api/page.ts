/** A page of a list endpoint of the contract API. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
