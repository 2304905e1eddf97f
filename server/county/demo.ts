import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { generateInWorker } from './generate/in-worker.js';
import { seedDemoGridPlan } from '../grids/demo.js';
import { seedDemoHoliday } from '../holidays/demo.js';
import { seedDemoVisits } from '../policing/demo-visits.js';
import { loadCountyModel, type LoadProgress } from './load.js';

/** The seed of the demo county: one seed, one county, on every machine. */
export const DEMO_SEED = 'taishun-2026';

/** Where the demo county stands, for the status bar while it is being made. */
export type DemoStatus =
  | { state: 'idle' }
  | { state: 'ready'; counties: number }
  | { state: 'generating'; step: string; startedAt: string }
  | { state: 'loading'; layer: string; overallDone: number; overallTotal: number; startedAt: string }
  | { state: 'failed'; message: string };

/** Steps of generation and layers of loading, in order, for a percentage. */
const GENERATE_STEPS = [
  'terrain',
  'drainage',
  'townships',
  'villages',
  'roads',
  'households',
  'services',
  'events',
  'assemble',
];

/** Rough overall progress 0–100: generation is the first 70%, loading the rest. */
export function demoPercent(status: DemoStatus): number {
  if (status.state === 'ready') return 100;
  if (status.state === 'generating')
    return Math.round((70 * Math.max(0, GENERATE_STEPS.indexOf(status.step))) / GENERATE_STEPS.length);
  if (status.state === 'loading') return 70 + Math.round((30 * status.overallDone) / Math.max(1, status.overallTotal));
  return 0;
}

/**
 * Makes sure a county is there: on an empty database, generates the demo county (in a worker
 * thread, so the server keeps answering) and loads it in one transaction, logging progress.
 */
export class DemoCounty {
  status: DemoStatus = { state: 'idle' };

  constructor(
    private readonly db: Kysely<DB>,
    private readonly logger: Logger,
  ) {}

  /** Generate and load the demo county if no county is loaded; resolves when done. */
  async ensure(onLoaded: () => void = () => {}): Promise<void> {
    const counties = await this.db
      .selectFrom('counties')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    if ((counties?.n ?? 0) > 0) {
      this.status = { state: 'ready', counties: counties!.n };
      return;
    }
    const startedAt = new Date().toISOString();
    try {
      this.logger.info('no county loaded: generating the demo county 泰顺县 (synthetic, seed %s)', DEMO_SEED);
      this.status = { state: 'generating', step: 'terrain', startedAt };
      const generated = await generateInWorker({ seed: DEMO_SEED, variant: 0 }, (step) => {
        this.status = { state: 'generating', step, startedAt };
        this.logger.info(`demo county: ${step} (${demoPercent(this.status)}%)`);
      });
      let lastLogged = '';
      // The grid units (one step per township) and the demo plan (one step) come after the layers on
      // the same progress bar; together they take about as long as writing the layers (weight 0.8).
      const gridSteps = generated.model.townships.length + 1;
      let loadTotal = 0;
      let stepWeight = 0;
      await loadCountyModel(this.db, generated.model, {
        onProgress: (p: LoadProgress) => {
          loadTotal = p.overallTotal;
          stepWeight = Math.ceil((p.overallTotal * 0.8) / gridSteps);
          this.status = {
            state: 'loading',
            layer: p.layer,
            overallDone: p.overallDone,
            overallTotal: p.overallTotal + gridSteps * stepWeight,
            startedAt,
          };
          if (p.layer !== lastLogged || p.done === p.total) {
            lastLogged = p.layer;
            this.logger.info(`demo county: loading ${p.layer} ${p.done}/${p.total} (${demoPercent(this.status)}%)`);
          }
        },
      });
      await seedDemoVisits(this.db, generated.model.county.code, DEMO_SEED);
      await seedDemoHoliday(this.db, generated.model.county.code, DEMO_SEED);
      await seedDemoGridPlan(this.db, generated.model.county.code, (done, total, township) => {
        this.status = {
          state: 'loading',
          layer: done < total ? 'grid_units' : 'grid_plan',
          overallDone: loadTotal + done * stepWeight,
          overallTotal: loadTotal + gridSteps * stepWeight,
          startedAt,
        };
        this.logger.info(`demo county: grid units of ${township} ${done}/${total} (${demoPercent(this.status)}%)`);
      });
      this.status = { state: 'ready', counties: 1 };
      this.logger.info('demo county loaded');
      onLoaded();
    } catch (err) {
      this.status = { state: 'failed', message: (err as Error).message };
      this.logger.error({ err }, 'the demo county could not be loaded');
    }
  }
}
