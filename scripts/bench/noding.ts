import type { LonLat } from '../../server/county/import/crs.js';
import { nodeRoadLines, type NodingLine } from '../../server/county/import/noding.js';
import { snapRoadNetwork } from '../../server/county/import/roads.js';
import { Random } from '../../server/county/generate/random.js';
import { numberOption, type Benchmark } from './harness.js';

/**
 * A road file as a transport bureau draws it: `--lines N` (default 10,000) winding lines of 20
 * vertices each (about 1.5 km) over a 40 km square at 27.5°N, crossing each other without shared
 * end points, a tenth of them bridges. Times noding them and joining the pieces' ends (pure, no
 * database): roadNodingSeconds, the best of `--runs` (default 3).
 */
export const nodingBenchmark: Benchmark = {
  summary: 'noding a road file of 10,000 crossing lines into a network (pure) [--lines N] [--runs N]',
  async run(args, log) {
    const lineCount = numberOption(args, '--lines', 10_000);
    const runs = Math.max(1, numberOption(args, '--runs', 3));
    const random = new Random('noding-bench');
    const metresLon = 1 / 98_800;
    const metresLat = 1 / 110_800;
    const lines: NodingLine[] = [];
    let vertices = 0;
    for (let i = 0; i < lineCount; i++) {
      let x = random.uniform(0, 40_000);
      let y = random.uniform(0, 40_000);
      let heading = random.uniform(0, 2 * Math.PI);
      const coordinates: LonLat[] = [];
      for (let k = 0; k < 20; k++) {
        coordinates.push([119.5 + x * metresLon, 27.3 + y * metresLat]);
        heading += random.normal(0, 0.3);
        x += 75 * Math.cos(heading);
        y += 75 * Math.sin(heading);
      }
      vertices += coordinates.length;
      lines.push({ coordinates, level: random.chance(0.1) ? null : 0 });
    }
    log(`${lineCount} lines, ${vertices} vertices`);
    let best = Infinity;
    let pieces = 0;
    let nodes = 0;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const noded = nodeRoadLines(lines, 1);
      const network = snapRoadNetwork(
        noded.pieces.map((p) => p.coordinates),
        [],
        1,
      );
      const seconds = (performance.now() - started) / 1000;
      best = Math.min(best, seconds);
      pieces = noded.pieces.length;
      nodes = network.nodes.length;
      log(`run ${run + 1}: ${seconds.toFixed(3)} s, ${pieces} edges, ${nodes} nodes`);
    }
    return { lines: lineCount, vertices, edges: pieces, nodes, roadNodingSeconds: Math.round(best * 1000) / 1000 };
  },
};
