import type { HolidayCommands } from './controller.js';
import { COVERAGE_COLOURS } from './map-layers.js';
import { coverageClass, coverageShare, dayShort, shiftHours } from './model.js';
import type { DutyId, Fetched, HolidayDetail, HolidayResource, HolidaysState } from './state.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import type { Action } from '../../state.js';
import { el } from '../../ui/dom.js';

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

/** A failed resource's message with a retry button; null when it did not fail. */
export function errorLine(view: HolidayView, resource: HolidayResource, fetched: Fetched<unknown>): HTMLElement | null {
  if (fetched.status !== 'error') return null;
  const retry = el('button', { type: 'button', class: 'link' }, view.t('holidays.retry'));
  retry.addEventListener('click', () => view.dispatch({ type: 'holidays/invalidate', resources: [resource] }));
  return el(
    'p',
    { class: 'error', 'data-testid': `holidays-error-${resource}` },
    view.t(ERROR_KEY[resource], { message: fetched.message ?? '' }),
    ' ',
    retry,
  );
}

/** A coverage bar with the share met, coloured by class (green / amber / red). */
export function shareBar(totals: { demanded: number; met: number }): HTMLElement {
  const share = coverageShare(totals);
  const cls = coverageClass(share);
  return el(
    'span',
    { class: `share ${cls}`, 'data-class': cls },
    el(
      'span',
      { class: 'bar' },
      el('span', { style: `width:${(share ?? 0) * 100}%;background:${COVERAGE_COLOURS[cls]}` }),
    ),
    el('span', { class: 'number' }, percentText(share)),
  );
}

export { segmented } from '../../ui/segmented.js';

/** A table from a header row and body rows. */
export function table(attributes: Record<string, string>, head: (string | Node)[], rows: HTMLElement[]): HTMLElement {
  return el(
    'table',
    attributes,
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows),
  );
}

/** The war zone a list is narrowed to, as a chip that widens it again; null when none is chosen. */
export function zoneChip(view: HolidayView, detail: HolidayDetail): HTMLElement | null {
  const zoneId = view.state.zoneId;
  if (zoneId === null) return null;
  const chip = el(
    'button',
    { type: 'button', class: 'zone-chip', 'data-testid': 'zone-chip', title: view.t('holidays.zone.clear') },
    `${zoneNames(view, detail)(zoneId)} ×`,
  );
  chip.addEventListener('click', () => view.dispatch({ type: 'holidays/selectZone', zoneId: null }));
  return chip;
}
