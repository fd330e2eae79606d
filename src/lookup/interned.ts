/**
 * Values a lookup would otherwise make per call and hold while it waits
 * (getaddrinfo's hints, a numeric port's service tuples), made once per
 * key and shared, frozen by their maker: readers never change them.
 */

/**
 * The value of `key` in `table`, made by `make` the first time. A table
 * that reaches `max` entries is emptied first, so it stays small whatever
 * keys callers give; a value made again is equal, only not the same object.
 */
export function interned<K, V>(table: Map<K, V>, max: number, key: K, make: () => V): V {
  let value = table.get(key);
  if (value === undefined) {
    if (table.size >= max) table.clear();
    value = make();
    table.set(key, value);
  }
  return value;
}
