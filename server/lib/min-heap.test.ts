import { describe, expect, it } from 'vitest';
import { Random } from '../county/generate/random.js';
import { MinHeap } from './min-heap.js';

describe('MinHeap', () => {
  it('pops in key order, growing past its first capacity', () => {
    const heap = new MinHeap(16);
    const random = new Random('heap');
    const keys = Array.from({ length: 1000 }, () => random.uniform(0, 100));
    keys.forEach((key, i) => heap.push(key, i));
    const popped: number[] = [];
    while (heap.size > 0) {
      const value = heap.pop();
      expect(heap.lastKey).toBe(keys[value]);
      popped.push(heap.lastKey);
    }
    expect(popped).toEqual([...keys].sort((a, b) => a - b));
  });

  it('refuses to pop when empty and can be cleared', () => {
    const heap = new MinHeap();
    expect(() => heap.pop()).toThrow(RangeError);
    heap.push(1, 1);
    heap.clear();
    expect(heap.size).toBe(0);
  });
});
