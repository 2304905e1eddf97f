import { solveAllocation } from './solve.js';
import { syntheticProblem } from './synthetic.js';

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Holiday allocation on synthetic pools (7 days × 3 shifts × 3 duties, 13 stations, 4 war zones):
 * seconds, model size, status, gap and unmet (optimal vs greedy) per pool size. Shaped like
 * scripts/bench's `Benchmark`; args are pool sizes (default 300 1000) and `--seed=<s>`.
 */
export const allocationBenchmark = {
  summary: 'holiday allocation on synthetic pools (default 300 and 1000 officers): seconds, size, gap, unmet vs greedy',
  async run(args: string[], log: (line: string) => void): Promise<Record<string, unknown>> {
    const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
    const seed = args.find((a) => a.startsWith('--seed='))?.slice('--seed='.length) ?? 'bench';
    const figures: Record<string, unknown> = { seed };
    for (const officers of sizes.length ? sizes : [300, 1000]) {
      const problem = syntheticProblem({ officers, seed });
      const result = await solveAllocation(problem, { timeLimitSeconds: 60, explain: true });
      const row = {
        status: result.status,
        mipGap: round(result.mipGap, 5),
        seconds: round(result.seconds),
        stageSeconds: result.stages.map((s) => round(s.seconds)),
        stageMethods: result.stages.map((s) => s.method),
        variables: result.variables,
        binaries: result.binaries,
        constraints: result.constraints,
        nonzeros: result.nonzeros,
        demanded: result.coverage.total.demanded,
        unmet: result.coverage.total.unmet,
        weightedUnmet: result.weightedUnmet,
        greedyUnmet: result.baseline.unmet,
        greedyWeightedUnmet: result.baseline.weightedUnmet,
        maxUnmetShare: round(result.maxUnmetShare, 4),
        greedyMaxUnmetShare: round(result.baseline.maxUnmetShare, 4),
        travelHours: round(result.travelSeconds / 3600, 1),
        greedyTravelHours: round(result.baseline.travelSeconds / 3600, 1),
      };
      log(`${officers} officers: ${JSON.stringify(row)}`);
      figures[`officers${officers}`] = row;
    }
    return figures;
  },
};
