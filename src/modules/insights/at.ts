/**
 * Checked access for values the code has just built and knows are there (an index into a list
 * made from the same rows, a key filtered to be present). A miss is a bug, so it throws rather
 * than letting `undefined` travel on.
 */

/** `list[i]`, or throws when `i` is out of range. */
export function at<T>(list: readonly T[], i: number): T {
  const value = list[i];
  if (value === undefined)
    throw new Error(`no item at index ${String(i)} (of ${String(list.length)})`);
  return value;
}

/** The value, or throws naming `what` when it is missing. */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}
