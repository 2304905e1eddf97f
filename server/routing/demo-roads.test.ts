import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/backends.js';
import type { Database } from '../db/database.js';
import { independentCycles } from './cycles.js';
import { pathArcs, shortestTimes } from './dijkstra.js';
import { nodeIndex } from './graph.js';
import { buildRoadNetwork, type RoadEdgeRecord, type RoadNetwork } from './network.js';
import { loadRoadEdges } from './repository.js';

// The demo county's roads as stored: loops to choose between, and a one-way couplet in 罗阳镇.
describe.each(BACKENDS)('routing over the demo county’s loops and one-way streets on %s', (kind) => {
  let database: Database;
  let network: RoadNetwork;
  let records: RoadEdgeRecord[];
  let oneWay: { id: number; oneWay: 'forward' | 'backward'; source: number; target: number }[];

  beforeAll(async () => {
    database = await openTestDatabase(kind, { withCounty: true });
    records = await loadRoadEdges(database.db);
    network = buildRoadNetwork(records);
    oneWay = records.flatMap((r) =>
      r.oneWay ? [{ id: r.id, oneWay: r.oneWay, source: r.source, target: r.target }] : [],
    );
  });
  afterAll(async () => {
    await database?.close();
  });

  it('has loops: routing must choose between routes', () => {
    expect(independentCycles(network)).toBeGreaterThanOrEqual(30);
  });

  it('stores the couplet’s one-way edges and never drives one against its way', () => {
    expect(oneWay.length).toBeGreaterThanOrEqual(2);
    for (const edge of oneWay) {
      const e = network.edgeIds.indexOf(edge.id);
      const [from, to] = edge.oneWay === 'forward' ? [edge.source, edge.target] : [edge.target, edge.source];
      const a = nodeIndex(network.drive, from);
      const b = nodeIndex(network.drive, to);
      const allowed = edge.oneWay === 'forward' ? network.forwardSeconds[e]! : network.backwardSeconds[e]!;
      const against = edge.oneWay === 'forward' ? network.backwardSeconds[e]! : network.forwardSeconds[e]!;
      expect(Number.isFinite(allowed)).toBe(true);
      expect(against).toBe(Infinity);
      expect(shortestTimes(network.drive, [{ node: a, seconds: 0 }]).seconds[b]).toBeLessThanOrEqual(allowed);
      // Back the other way: reachable round the block, never along the edge.
      const back = shortestTimes(network.drive, [{ node: b, seconds: 0 }]);
      expect(Number.isFinite(back.seconds[a]!)).toBe(true);
      expect(pathArcs(network.drive, back, a).map((arc) => network.drive.arcEdge[arc])).not.toContain(e);
    }
  });

  it('drives A → B and B → A through the pair differently: the one-ways send one of them round the block', () => {
    // The same roads with every edge two-way: some one-way edge is the quickest way back there.
    const twoWay = buildRoadNetwork(records.map((r) => ({ ...r, oneWay: null })));
    const forced = oneWay.filter((edge) => {
      const [from, to] = edge.oneWay === 'forward' ? [edge.source, edge.target] : [edge.target, edge.source];
      const a = nodeIndex(twoWay.drive, from);
      const b = nodeIndex(twoWay.drive, to);
      const back = shortestTimes(twoWay.drive, [{ node: b, seconds: 0 }]);
      return pathArcs(twoWay.drive, back, a).some((arc) => twoWay.edgeIds[twoWay.drive.arcEdge[arc]!] === edge.id);
    });
    expect(forced.length).toBeGreaterThanOrEqual(1);
    for (const edge of forced) {
      const [from, to] = edge.oneWay === 'forward' ? [edge.source, edge.target] : [edge.target, edge.source];
      const time = (n: RoadNetwork, x: number, y: number) =>
        shortestTimes(n.drive, [{ node: nodeIndex(n.drive, x), seconds: 0 }]).seconds[nodeIndex(n.drive, y)]!;
      const ahead = time(network, from, to);
      const back = time(network, to, from);
      // With the one-ways, B → A is longer than it would be on two-way roads, and not A → B's time.
      expect(back).toBeGreaterThan(time(twoWay, to, from) + 5);
      expect(Math.abs(back - ahead)).toBeGreaterThan(5);
      expect(ahead).toBeCloseTo(time(twoWay, from, to), 6);
    }
  });
});
