import { describe, expect, it } from 'vitest';
import { pathArcs, shortestTimes } from './dijkstra.js';
import { buildRoadGraph, nodeIndex } from './graph.js';

// A hand-built valley network (node ids as in road_nodes):
//   10 —60s— 20 —60s— 30
//    \                 |
//    300s (a pass)    30s up, 20s down (one edge, different each way)
//      \               |
//       50 ——90s——— 40
//   60 is on its own.
const edges = [
  { source: 10, target: 20, forwardSeconds: 60, backwardSeconds: 60 },
  { source: 20, target: 30, forwardSeconds: 60, backwardSeconds: 60 },
  { source: 30, target: 40, forwardSeconds: 30, backwardSeconds: 20 },
  { source: 40, target: 50, forwardSeconds: 90, backwardSeconds: 90 },
  { source: 10, target: 50, forwardSeconds: 300, backwardSeconds: 300 },
  { source: 60, target: 60, forwardSeconds: 5, backwardSeconds: 5 },
];

describe('the road graph and Dijkstra', () => {
  const graph = buildRoadGraph(edges);
  const at = (id: number) => nodeIndex(graph, id);

  it('indexes nodes in id order and stores both directions of every edge', () => {
    expect(Array.from(graph.nodeIds)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(graph.arcStart[graph.nodeCount]).toBe(12);
    expect(nodeIndex(graph, 35)).toBe(-1);
  });

  it('finds the exact drive times from one source, using the faster direction of each edge', () => {
    const { seconds } = shortestTimes(graph, [{ node: at(10), seconds: 0 }]);
    expect(Array.from(seconds)).toEqual([0, 60, 120, 150, 240, Infinity]);
    const back = shortestTimes(graph, [{ node: at(40), seconds: 0 }]).seconds;
    // 40 → 30 is the 20 s downhill direction.
    expect(back[at(30)]).toBe(20);
    expect(back[at(10)]).toBe(140);
  });

  it('returns the path as arcs of the input edges', () => {
    const result = shortestTimes(graph, [{ node: at(10), seconds: 0 }]);
    const edgesUsed = pathArcs(graph, result, at(50)).map((arc) => graph.arcEdge[arc]);
    expect(edgesUsed).toEqual([0, 1, 2, 3]);
    expect(pathArcs(graph, result, at(10))).toEqual([]);
  });

  it('starts from several sources with their own head start', () => {
    const { seconds } = shortestTimes(graph, [
      { node: at(10), seconds: 100 },
      { node: at(50), seconds: 0 },
    ]);
    expect(Array.from(seconds)).toEqual([100, 160, 110, 90, 0, Infinity]);
  });

  it('stops at a time limit and leaves what is beyond it unreached', () => {
    const { seconds } = shortestTimes(graph, [{ node: at(10), seconds: 0 }], { maxSeconds: 130 });
    expect(Array.from(seconds)).toEqual([0, 60, 120, Infinity, Infinity, Infinity]);
  });

  it('stops once every target is settled, with their times exact', () => {
    const { seconds } = shortestTimes(graph, [{ node: at(10), seconds: 0 }], { targets: [at(20)] });
    expect(seconds[at(20)]).toBe(60);
  });

  it('refuses a negative travel time', () => {
    expect(() => buildRoadGraph([{ source: 1, target: 2, forwardSeconds: -1, backwardSeconds: 1 }])).toThrow(
      RangeError,
    );
  });
});
