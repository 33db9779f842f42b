/** The fields of `value` that are set: an option given as `undefined` keeps its default when spread over defaults. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
