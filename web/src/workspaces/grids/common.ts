import type { GridCommands } from './controller.js';
import { deviationClass } from './model.js';
import type { Fetched, GridResource, GridsState } from './state.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import type { Action } from '../../state.js';
import { html, nothing, type TemplateResult } from 'lit-html';
import { ref } from 'lit-html/directives/ref.js';
import { retryLine } from './view-parts.js';

/** What every part of the grid panel is drawn with. */
export interface GridView {
  locale: Locale;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  state: GridsState;
  commands: GridCommands | null;
  dispatch: (action: Action) => void;
  /** What the user may change (the server refuses the rest; the panel does not offer it). */
  access: GridAccess;
}

/** What a user may do in the grid panel. */
export interface GridAccess {
  /** Create, copy, rename and change the status of plans. */
  plans: boolean;
  /** Edit the grids of the township open (planners only in their own townships). */
  township: boolean;
  /** Download the household list (those who edit the grids). */
  households: boolean;
}

/** Full access: the admin's (and what tests of the views assume unless they say otherwise). */
export const FULL_GRID_ACCESS: GridAccess = { plans: true, township: true, households: true };

/** A view for a locale and state. */
export function gridView(
  locale: Locale,
  state: GridsState,
  commands: GridCommands | null,
  dispatch: (action: Action) => void,
  access: GridAccess = FULL_GRID_ACCESS,
): GridView {
  return { locale, t: (key, values) => translate(locale, key, values), state, commands, dispatch, access };
}

const formats = new Map<string, Intl.NumberFormat>();

/** A number format of a locale, made once (the panel formats hundreds of numbers per drawing). */
function format(locale: Locale, name: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${name}`;
  let made = formats.get(key);
  if (!made) {
    made = new Intl.NumberFormat(locale, options);
    formats.set(key, made);
  }
  return made;
}

/** A number as the reader writes it (grouped thousands, at most `digits` decimals). */
export function numberText(view: GridView, value: number, digits = 0): string {
  return format(view.locale, `number${digits}`, { maximumFractionDigits: digits }).format(value);
}

/** A share 0…1 as a percentage, rounded down so 99.6 % never reads as 100 %. */
export function shareText(view: GridView, share: number): string {
  return format(view.locale, 'share', { style: 'percent', maximumFractionDigits: 0 }).format(
    Math.floor(share * 100) / 100,
  );
}

/** A deviation ratio as a signed percentage with one decimal ('+6.5%', '−12%'). */
export function deviationText(view: GridView, ratio: number): string {
  return format(view.locale, 'deviation', {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(ratio);
}

/** A deviation, coloured by its class (green within ±10 %, amber within ±25 %, red beyond). */
export function deviationCell(view: GridView, ratio: number): TemplateResult {
  const cls = deviationClass(ratio);
  return html`<td class=${`number deviation ${cls}`} data-class=${cls}>${deviationText(view, ratio)}</td>`;
}

/** Minutes of driving, rounded. */
export function minutesText(view: GridView, minutes: number): string {
  return view.t('grids.minutes', { n: numberText(view, minutes) });
}

const ERROR_KEY: Record<GridResource, MessageKey> = {
  plans: 'grids.error.plans',
  plan: 'grids.error.plan',
  units: 'grids.error.units',
  shapes: 'grids.error.shapes',
  revisions: 'grids.error.revisions',
  comparison: 'grids.error.comparison',
};

/** What a part of the panel draws: a template, or nothing. */
export type View = TemplateResult | typeof nothing;

/** A failed resource's message with a retry button; nothing when it did not fail. */
export function errorLine(view: GridView, resource: GridResource, fetched: Fetched<unknown>): View {
  if (fetched.status !== 'error') return nothing;
  return retryLine(
    `grids-error-${resource}`,
    view.t(ERROR_KEY[resource], { message: fetched.message ?? '' }),
    view.t('grids.retry'),
    () => view.dispatch({ type: 'grids/invalidate', resources: [resource] }),
  );
}

/** What a `button` may say besides its label. */
export interface ButtonOptions {
  testId?: string;
  className?: string;
  disabled?: boolean;
  title?: string;
  /** aria-pressed, for a toggle. */
  pressed?: boolean;
  /** aria-expanded, for what opens a part. */
  expanded?: boolean;
  ariaLabel?: string;
}

const ariaBoolean = (value: boolean | undefined) => (value === undefined ? nothing : value ? 'true' : 'false');

/** A button that runs `run` on click. */
export function button(label: string, options: ButtonOptions, run: () => void): TemplateResult {
  return html`<button
    type="button"
    class=${options.className ?? nothing}
    data-testid=${options.testId ?? nothing}
    title=${options.title ?? nothing}
    aria-pressed=${ariaBoolean(options.pressed)}
    aria-expanded=${ariaBoolean(options.expanded)}
    aria-label=${options.ariaLabel ?? nothing}
    ?disabled=${options.disabled ?? false}
    @click=${run}
  >
    ${label}
  </button>`;
}

/** The optional seed of a partition (a whole number; empty: the plan's own). */
export function seedInput(placeholder: string): TemplateResult {
  return html`<input type="number" name="seed" min="0" step="1" placeholder=${placeholder} />`;
}

/** The seed typed into a form's `seedInput`, as the request's optional field. */
export function seedOf(form: HTMLFormElement): { seed?: number } {
  const text = (form.elements.namedItem('seed') as HTMLInputElement).value.trim();
  return text === '' ? {} : { seed: Number(text) };
}

/** A table from a header row (a text is a plain `<th>`) and body rows. */
export function table(
  head: (string | TemplateResult)[],
  rows: readonly View[],
  options: { testId?: string; className?: string } = {},
): TemplateResult {
  return html`<table class=${options.className ?? nothing} data-testid=${options.testId ?? nothing}>
    <thead>
      <tr>
        ${head.map((h) => (typeof h === 'string' ? html`<th>${h}</th>` : h))}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** A `<th>` with a class and a title (for a table's header row). */
export const th = (className: string, text: string, title?: string) =>
  html`<th class=${className} title=${title ?? nothing}>${text}</th>`;

let clock: ReturnType<typeof setInterval> | null = null;

const secondsSince = (sinceMs: number) => String(Math.max(0, Math.floor((Date.now() - sinceMs) / 1000)));

/**
 * Keeps every `[data-grid-since-ms]` counter in the page counting seconds; stops when none is
 * left. The counters have no content of lit's, so the clock may write their text.
 */
function runClock(counter: Element | undefined): void {
  if (counter instanceof HTMLElement && counter.textContent === '')
    counter.textContent = secondsSince(Number(counter.dataset.gridSinceMs));
  if (clock) return;
  clock = setInterval(() => {
    const counters = document.querySelectorAll<HTMLElement>('[data-grid-since-ms]');
    if (counters.length === 0 && clock) {
      clearInterval(clock);
      clock = null;
    }
    for (const counter of counters) counter.textContent = secondsSince(Number(counter.dataset.gridSinceMs));
  }, 500);
}

/** Seconds since a time, counting up while on screen. */
export function elapsedSeconds(startedAtMs: number): TemplateResult {
  return html`<span data-grid-since-ms=${String(startedAtMs)} ${ref(runClock)}></span>`;
}
