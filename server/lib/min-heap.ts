/**
 * A binary min-heap of (key, value) pairs on typed arrays: float keys (seconds, costs), integer
 * values (node or cell indices). Stale entries are left in and skipped by the caller ("lazy
 * deletion"), which is faster than decrease-key for graph searches.
 */
export class MinHeap {
  private keys: Float64Array;
  private values: Int32Array;
  size = 0;
  /** The key of the entry `pop` returned last. */
  lastKey = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.values = new Int32Array(Math.max(16, capacity));
  }

  /** Forget every entry (keeps the memory). */
  clear(): void {
    this.size = 0;
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.values[i] = this.values[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }

  /** Remove the entry with the smallest key and return its value; its key is in `lastKey`. */
  pop(): number {
    if (this.size === 0) throw new RangeError('pop from an empty heap');
    const top = this.values[0]!;
    this.lastKey = this.keys[0]!;
    const key = this.keys[--this.size]!;
    const value = this.values[this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.keys[i] = this.keys[child]!;
      this.values[i] = this.values[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.values[i] = value;
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const values = new Int32Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }
}
