/**
 * Freeze a test fixture and everything it holds, so that a "pure" function that mutates its input
 * throws instead of passing. Typed arrays are left as they are (they cannot be frozen while they
 * hold elements); shared and cyclic objects are visited once.
 */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || seen.has(value)) return value;
  seen.add(value);
  for (const inner of Object.values(value)) deepFreeze(inner, seen);
  Object.freeze(value);
  return value;
}
