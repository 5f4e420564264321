// Map helpers shared across layers (pure, no I/O).

/** The value under `key`, added with `make()` first if there is none. */
export function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
