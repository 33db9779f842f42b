import QuickLRU from 'quick-lru';

/**
 * At most `maxEntries` recent entries, each kept `maxAge` ms at most when given, with every
 * operation in constant time however full. `QuickLRU` keeps two generations and drops the older
 * one whole once the newer is full, so each gets half the bound: once it is reached, between half
 * and all of `maxEntries` are kept.
 */
export function boundedLru<K, V>(maxEntries: number, maxAge?: number): QuickLRU<K, V> {
  const maxSize = Math.ceil(maxEntries / 2);
  return new QuickLRU(maxAge === undefined ? { maxSize } : { maxSize, maxAge });
}

/** The entries still live: `QuickLRU`'s own `size` stops at one generation's and counts expired ones. */
export function liveEntries<K, V>(lru: QuickLRU<K, V>): number {
  let live = 0;
  for (const _ of lru.keys()) live += 1;
  return live;
}
