import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import type { Database } from '../db/database.js';
import { pathArcs, shortestTimes } from './dijkstra.js';
import { nodeIndex } from './graph.js';
import { buildRoadNetwork, type RoadNetwork } from './network.js';
import { loadRoadEdges } from './repository.js';

// The demo county's roads as stored: loops to choose between, and a one-way couplet in 罗阳镇.
describe.each(BACKENDS)('routing over the demo county’s loops and one-way streets on %s', (kind) => {
  let database: Database;
  let network: RoadNetwork;
  let oneWay: { id: number; oneWay: 'forward' | 'backward'; source: number; target: number }[];

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    const records = await loadRoadEdges(database.db);
    network = buildRoadNetwork(records);
    oneWay = records.flatMap((r) =>
      r.oneWay ? [{ id: r.id, oneWay: r.oneWay, source: r.source, target: r.target }] : [],
    );
  });
  afterAll(async () => {
    await database?.close();
  });

  it('has loops: routing must choose between routes', () => {
    const parent = Int32Array.from({ length: network.drive.nodeCount }, (_, i) => i);
    const root = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
      return i;
    };
    let parts = network.drive.nodeCount;
    for (let e = 0; e < network.edgeCount; e++) {
      const a = root(network.edgeSource[e]!);
      const b = root(network.edgeTarget[e]!);
      if (a !== b) {
        parent[a] = b;
        parts--;
      }
    }
    expect(network.edgeCount - network.drive.nodeCount + parts).toBeGreaterThanOrEqual(30);
  });

  it('stores the couplet’s one-way edges and drives each only its way: back is round the block', () => {
    expect(oneWay.length).toBeGreaterThanOrEqual(2);
    for (const edge of oneWay) {
      const e = network.edgeIds.indexOf(edge.id);
      const [from, to] = edge.oneWay === 'forward' ? [edge.source, edge.target] : [edge.target, edge.source];
      const a = nodeIndex(network.drive, from);
      const b = nodeIndex(network.drive, to);
      const ahead = shortestTimes(network.drive, [{ node: a, seconds: 0 }]);
      const back = shortestTimes(network.drive, [{ node: b, seconds: 0 }]);
      const allowed = edge.oneWay === 'forward' ? network.forwardSeconds[e]! : network.backwardSeconds[e]!;
      expect(Number.isFinite(allowed)).toBe(true);
      expect(ahead.seconds[b]).toBeLessThanOrEqual(allowed);
      // Back the other way: reachable, but not along the edge and longer than the way it allows.
      expect(Number.isFinite(back.seconds[a]!)).toBe(true);
      expect(back.seconds[a]).toBeGreaterThan(ahead.seconds[b]! + 10);
      const arcs = pathArcs(network.drive, back, a);
      expect(arcs.map((arc) => network.drive.arcEdge[arc])).not.toContain(e);
    }
  });
});
