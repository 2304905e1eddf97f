import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { generateInWorker } from './generate/in-worker.js';
import { seedDemoGridPlan } from '../grids/demo.js';
import { seedDemoHoliday } from '../holidays/demo.js';
import { seedDemoVisits } from '../policing/demo-visits.js';
import { onboardModel } from './onboard/demo.js';
import type { OnboardProgress } from './onboard/onboard.js';

/** The seed of the demo county: one seed, one county, on every machine. */
export const DEMO_SEED = 'taishun-2026';
/** The demo county's code (泰顺县). */
const DEMO_COUNTY_CODE = '330329';

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

/** Rough overall progress 0–100: generation is the first 70%, onboarding the files and the grid plan the rest. */
export function demoPercent(status: DemoStatus): number {
  if (status.state === 'ready') return 100;
  if (status.state === 'generating')
    return Math.round((70 * Math.max(0, GENERATE_STEPS.indexOf(status.step))) / GENERATE_STEPS.length);
  if (status.state === 'loading') return 70 + Math.round((30 * status.overallDone) / Math.max(1, status.overallTotal));
  return 0;
}

/**
 * Makes sure a county is there: on an empty database, generates the demo county (in a worker
 * thread, so the server keeps answering), writes it as its offices' files and onboards them as
 * any county's (onboard/), logging progress.
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
      // The grid units (one step per township) and the demo plan (one step) come after the files on
      // the same progress bar; together they take about as long as importing the files.
      const gridSteps = generated.model.townships.length + 1;
      let loadTotal = 0;
      let stepWeight = 0;
      // Through the same door as any county: the model written as its offices' files, then onboarded.
      await onboardModel(this.db, generated.model, {
        onProgress: (p: OnboardProgress) => {
          loadTotal = p.steps;
          stepWeight = p.steps / gridSteps;
          const within = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
          this.status = {
            state: 'loading',
            layer: p.layer,
            overallDone: p.step + within,
            overallTotal: 2 * p.steps,
            startedAt,
          };
          if (p.file !== lastLogged) {
            lastLogged = p.file;
            this.logger.info(`demo county: importing ${p.file} (${p.layer}) (${demoPercent(this.status)}%)`);
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
      // A half-onboarded demo would pass for a loaded county at the next start: remove it.
      await this.db
        .deleteFrom('counties')
        .where('code', '=', DEMO_COUNTY_CODE)
        .execute()
        .catch(() => {});
      this.status = { state: 'failed', message: (err as Error).message };
      this.logger.error({ err }, 'the demo county could not be loaded');
    }
  }
}
