import type { HolidayCommands } from './controller.js';
import { COVERAGE_COLOURS } from './map-layers.js';
import { coverageClass, coverageShare, dayShort, shiftHours } from './model.js';
import type { DutyId, Fetched, HolidayDetail, HolidayResource, HolidaysState } from './state.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import type { Action } from '../../state.js';
import { cssProperties, retryLine } from '../grids/view-parts.js';
import { html, noChange, nothing, type PropertyPart, type TemplateResult } from 'lit-html';
import { Directive, directive, PartType, type PartInfo } from 'lit-html/directive.js';
import { setCommittedValue } from 'lit-html/directive-helpers.js';

/** What every part of the holiday panel is drawn with. */
export interface HolidayView {
  locale: Locale;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  state: HolidaysState;
  commands: HolidayCommands | null;
  dispatch: (action: Action) => void;
  /** Whether the user may change holidays (commanders and admins; leaders read). */
  canEdit: boolean;
}

/** A view for a locale and state. */
export function holidayView(
  locale: Locale,
  state: HolidaysState,
  commands: HolidayCommands | null,
  dispatch: (action: Action) => void,
  canEdit = true,
): HolidayView {
  return { locale, t: (key, values) => translate(locale, key, values), state, commands, dispatch, canEdit };
}

/** A number as the reader writes it (grouped thousands, at most `digits` decimals). */
export function numberText(view: HolidayView, value: number, digits = 0): string {
  return new Intl.NumberFormat(view.locale, { maximumFractionDigits: digits }).format(value);
}

/** A share 0…1 as a whole percentage, rounded down so 99.6 % never reads as 100 %; '—' for null. */
export function percentText(share: number | null): string {
  return share === null ? '—' : `${Math.floor(share * 100)}%`;
}

/** A duty's full name (接处警, 交通秩序管理, 巡逻防控). */
export const dutyName = (view: HolidayView, duty: DutyId | string) =>
  view.t(`holidays.duty.${duty as DutyId}` as MessageKey);
/** A duty's short name for narrow columns. */
export const dutyShort = (view: HolidayView, duty: DutyId | string) =>
  view.t(`holidays.dutyShort.${duty as DutyId}` as MessageKey);

/** 'Day 1 2/6' for a holiday day. */
export function dayLabel(view: HolidayView, detail: HolidayDetail, day: number): string {
  return view.t('holidays.day', { n: day + 1, date: dayShort(detail.holiday.firstDay, day) });
}

/** A shift by its hours ('00–08'). */
export function shiftLabel(detail: HolidayDetail, shift: number): string {
  return shiftHours(detail.holiday.shiftsPerDay, shift);
}

/** War zone names by id (as number and as the text id the coverage uses). */
export function zoneNames(view: HolidayView, detail: HolidayDetail): (zoneId: number | string | null) => string {
  const names = new Map(detail.zones.map((z) => [String(z.id), z.name]));
  return (zoneId) => (zoneId === null ? view.t('holidays.zone.unassigned') : (names.get(String(zoneId)) ?? '?'));
}

/** Station names by code. */
export function stationNames(detail: HolidayDetail): (code: string) => string {
  const names = new Map(detail.stations.map((s) => [s.code, s.name]));
  return (code) => names.get(code) ?? code;
}

const ERROR_KEY: Record<HolidayResource, MessageKey> = {
  list: 'holidays.error.list',
  detail: 'holidays.error.detail',
  zones: 'holidays.error.zones',
  officers: 'holidays.error.officers',
  plans: 'holidays.error.plans',
  plan: 'holidays.error.plan',
  comparison: 'holidays.error.comparison',
};

/** What a part of the panel draws: a template, or nothing. */
export type View = TemplateResult | typeof nothing;

/** A failed resource's message with a retry button; nothing when it did not fail. */
export function errorLine(view: HolidayView, resource: HolidayResource, fetched: Fetched<unknown>): View {
  if (fetched.status !== 'error') return nothing;
  return retryLine(
    `holidays-error-${resource}`,
    view.t(ERROR_KEY[resource], { message: fetched.message ?? '' }),
    view.t('holidays.retry'),
    () => view.dispatch({ type: 'holidays/invalidate', resources: [resource] }),
  );
}

/** A coloured swatch (the CSSOM sets its colour: a `style` attribute is refused by the CSP). */
export const swatch = (colour: string) => html`<span class="swatch" ${cssProperties({ background: colour })}></span>`;

/** A coverage bar with the share met, coloured by class (green / amber / red). */
export function shareBar(totals: { demanded: number; met: number }): TemplateResult {
  const share = coverageShare(totals);
  const cls = coverageClass(share);
  return html`<span class=${`share ${cls}`} data-class=${cls}
    ><span class="bar"
      ><span ${cssProperties({ width: `${(share ?? 0) * 100}%`, background: COVERAGE_COLOURS[cls] })}></span></span
    ><span class="number">${percentText(share)}</span></span
  >`;
}

export { segmentedView } from '../grids/view-parts.js';

/** A table from a header row and body rows. */
export function table(
  head: (string | View)[],
  rows: readonly View[],
  options: { testId?: string; className?: string } = {},
): TemplateResult {
  return html`<table data-testid=${options.testId ?? nothing} class=${options.className ?? nothing}>
    <thead>
      <tr>
        ${head.map((h) => html`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** The war zone a list is narrowed to, as a chip that widens it again; nothing when none is chosen. */
export function zoneChip(view: HolidayView, detail: HolidayDetail): View {
  const zoneId = view.state.zoneId;
  if (zoneId === null) return nothing;
  return html`<button
    type="button"
    class="zone-chip"
    data-testid="zone-chip"
    title=${view.t('holidays.zone.clear')}
    @click=${() => view.dispatch({ type: 'holidays/selectZone', zoneId: null })}
  >
    ${`${zoneNames(view, detail)(zoneId)} ×`}
  </button>`;
}

/**
 * `.value=${liveNumber(n)}` on a number typed in a text input: while the input has the focus and
 * shows that number ("05", or emptied for 0) it is left as typed, the store following each
 * keystroke; otherwise it shows the number (a fill or a discard from elsewhere included).
 */
class LiveNumber extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.PROPERTY) throw new Error('liveNumber is for .value bindings');
  }

  render(value: number): string {
    return String(value);
  }

  override update(part: PropertyPart, [value]: [number]): string | typeof noChange {
    const input = part.element as HTMLInputElement;
    const shown = input.value.trim();
    const same = /^\d*$/.test(shown) && (shown === '' ? 0 : Number(shown)) === value;
    if (shown === String(value) || (same && input === document.activeElement)) return noChange;
    // As lit's own `live`: forget the last value set, so this one is set even if it is the same.
    setCommittedValue(part);
    return String(value);
  }
}

export const liveNumber = directive(LiveNumber);
