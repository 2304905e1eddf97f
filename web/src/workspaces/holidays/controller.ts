import { KeyedFetcher } from '../../keyed-fetch.js';
import { requestJson as request } from '../../api.js';
import type { MapView } from '../../map/map-view.js';
import { boundsOf } from '../../map/bounds.js';
import type { AppState, Store } from '../../state.js';
import {
  HOLIDAY_LAYERS,
  HOLIDAY_SOURCES,
  HOLIDAY_STATION_LAYERS,
  HOLIDAY_ZONE_LAYERS,
  stationFeatures,
  zoneFeatures,
  zoneLabelFeatures,
} from './map-layers.js';
import { demandPutEntries, solveRequestOf } from './model.js';
import {
  currentDetail,
  HOLIDAY_RESOURCES,
  holidayQueries,
  rosterUrl,
  type HolidayAction,
  type HolidayDetail,
  type HolidayResource,
  type HolidaySummary,
  type HolidaysState,
  type HolidayWrite,
  type PlanDetail,
} from './state.js';

/** What the holiday panel can ask for (choices that only change the view are dispatched directly). */
export interface HolidayCommands {
  createHoliday(input: {
    name: string;
    firstDay: string;
    days: number;
    shiftsPerDay: number;
    maxTravelMinutes?: number;
  }): void;
  saveDemands(): void;
  moveStation(stationCode: string, warZoneId: number): void;
  saveZoneLimits(limits: { warZoneId: number; minOfficers: number | null; maxOfficers: number | null }[]): void;
  toggleAvailability(officerId: string, day: number, shift: number): void;
  solve(): void;
  publish(planId: number): void;
  rosterUrl(planId: number, format: 'csv' | 'xlsx'): string;
  /** Print the one-page plan of a war zone. */
  printZone(warZoneId: number): void;
}

/**
 * The holiday workspace behind the panel: asks the server for what the choices need (a resource
 * when its query changed, cancelling the request it replaces), sends the commander's changes, runs
 * solves without blocking the panel, and keeps the map's zones and stations in step with the state.
 */
export class HolidayController implements HolidayCommands {
  private readonly fetcher = new KeyedFetcher<HolidayResource>(HOLIDAY_RESOURCES, {
    requested: (resource, key) => this.store.dispatch({ type: 'holidays/requested', resource, key }),
    loaded: (resource, key, data) =>
      this.store.dispatch({ type: 'holidays/loaded', resource, key, data } as HolidayAction),
    failed: (resource, key, message) => this.store.dispatch({ type: 'holidays/failed', resource, key, message }),
  });
  /** The inputs each map source was last drawn from, so an unchanged layer is not sent again. */
  private readonly drawn = new Map<string, unknown[]>();
  /** The zones answer the map was last fitted to. */
  private fittedTo: unknown = null;

  constructor(
    private readonly store: Store,
    private readonly mapView: MapView,
  ) {
    store.subscribe((state, previous) => this.changed(state, previous));
    mapView.onFeatureClick(HOLIDAY_STATION_LAYERS, (properties) => {
      if (this.store.current.workspace === 'holidays' && typeof properties.code === 'string')
        this.dispatch({ type: 'holidays/selectStation', station: properties.code });
    });
    mapView.onFeatureClick(HOLIDAY_ZONE_LAYERS, (properties) => {
      // A click on a station inside a zone chooses both; the station's zone is the same.
      if (this.store.current.workspace === 'holidays' && typeof properties.zoneId === 'number')
        this.dispatch({ type: 'holidays/selectZone', zoneId: properties.zoneId });
    });
    this.changed(store.current, null);
  }

  private get state(): HolidaysState {
    return this.store.current.holidays;
  }

  private dispatch(action: HolidayAction): void {
    this.store.dispatch(action);
  }

  private changed(state: AppState, previous: AppState | null): void {
    const active = state.workspace === 'holidays';
    this.drawMap(state.holidays, active);
    if (!active) return;
    // The county is there (or nothing is being generated): 'idle' when the demo is not made here.
    const ready = state.county?.state === 'ready' || state.county?.state === 'idle';
    if (!ready) return;
    if (
      previous &&
      previous.holidays === state.holidays &&
      previous.workspace === state.workspace &&
      previous.county?.state === state.county?.state
    )
      return;
    // Each dispatch re-enters changed() with the newer state: the fetcher reads the store afresh.
    this.fetcher.sync(
      (resource) => holidayQueries(this.state)[resource],
      (resource) => this.state.fetched[resource],
    );
  }

  private drawMap(holidays: HolidaysState, active: boolean): void {
    const plan = holidays.fetched.plan.data;
    const show = (source: string, inputs: unknown[], build: () => GeoJSON.FeatureCollection | null, z: number) => {
      const last = this.drawn.get(source);
      if (last && last.length === inputs.length && last.every((value, i) => value === inputs[i])) return;
      this.drawn.set(source, inputs);
      const layers =
        HOLIDAY_LAYERS[
          (Object.keys(HOLIDAY_SOURCES) as (keyof typeof HOLIDAY_SOURCES)[]).find(
            (name) => HOLIDAY_SOURCES[name] === source,
          )!
        ];
      this.mapView.setGeoJson(source, active ? build() : null, layers, z);
    };
    const common = [active, holidays.holidayId, holidays.tab, holidays.planId, plan];
    show(
      HOLIDAY_SOURCES.zones,
      [...common, holidays.fetched.zones.data, holidays.zoneId],
      () => zoneFeatures(holidays),
      20,
    );
    show(
      HOLIDAY_SOURCES.labels,
      [...common, holidays.fetched.zones.data, holidays.fetched.detail.data, holidays.zoneId],
      () => zoneLabelFeatures(holidays),
      21,
    );
    show(
      HOLIDAY_SOURCES.stations,
      [...common, holidays.fetched.detail.data, holidays.station],
      () => stationFeatures(holidays),
      22,
    );
    // A holiday's zones arrive: the county's zones fill the view.
    const zones = holidays.fetched.zones.data;
    if (active && zones && zones !== this.fittedTo) {
      this.fittedTo = zones;
      const bounds = boundsOf({ coordinates: zones.features.map((f) => f.geometry.coordinates) });
      if (bounds) this.mapView.fitBounds(bounds);
    }
  }

  /** Send one change; on success `done` receives the answer, on failure the notice says why. */
  private async write<T>(
    write: HolidayWrite,
    url: string,
    init: { method: string; json?: unknown },
    done: (answer: T) => void,
  ): Promise<boolean> {
    this.dispatch({ type: 'holidays/writing', write });
    try {
      const answer = await request<T>(url, init);
      done(answer);
      this.dispatch({ type: 'holidays/written', write });
      return true;
    } catch (err) {
      this.dispatch({ type: 'holidays/writeFailed', write, message: (err as Error).message });
      return false;
    }
  }

  createHoliday(input: Parameters<HolidayCommands['createHoliday']>[0]): void {
    void this.write<HolidaySummary>('create', '/api/holidays', { method: 'POST', json: input }, (holiday) =>
      this.dispatch({ type: 'holidays/created', holiday }),
    );
  }

  saveDemands(): void {
    const detail = currentDetail(this.state);
    if (!detail || Object.keys(this.state.demandDraft).length === 0) return;
    const entries = demandPutEntries(detail, this.state.demandDraft);
    void this.write<HolidayDetail>(
      'demands',
      `/api/holidays/${detail.holiday.id}/demands`,
      { method: 'PUT', json: { entries } },
      (data) => this.answered(detail.holiday.id, data),
    );
  }

  /** A write answered with the holiday's new detail: shown at once when it is still the holiday open. */
  private answered(holidayId: number, data: HolidayDetail): void {
    const key = this.state.fetched.detail.key;
    if (this.state.holidayId !== holidayId) return;
    if (key === `/api/holidays/${holidayId}`) this.dispatch({ type: 'holidays/loaded', resource: 'detail', key, data });
    else this.dispatch({ type: 'holidays/invalidate', resources: ['detail'] });
  }

  moveStation(stationCode: string, warZoneId: number): void {
    void this.write(
      'move',
      `/api/war-zones/stations/${encodeURIComponent(stationCode)}`,
      { method: 'PUT', json: { warZoneId } },
      // The zones' stations and areas follow the move; so do the other holidays' (asked when opened).
      () => this.dispatch({ type: 'holidays/invalidate', resources: ['detail', 'zones'] }),
    );
  }

  saveZoneLimits(limits: { warZoneId: number; minOfficers: number | null; maxOfficers: number | null }[]): void {
    const id = this.state.holidayId;
    if (id === null) return;
    void this.write<HolidayDetail>(
      'limits',
      `/api/holidays/${id}/zone-limits`,
      { method: 'PUT', json: { limits } },
      (data) => this.answered(id, data),
    );
  }

  toggleAvailability(officerId: string, day: number, shift: number): void {
    const id = this.state.holidayId;
    const officer = this.state.fetched.officers.data?.find((o) => o.id === officerId);
    if (id === null || !officer) return;
    const off = officer.unavailable.some(([d, s]) => d === day && s === shift);
    const unavailable: [number, number][] = off
      ? officer.unavailable.filter(([d, s]) => d !== day || s !== shift)
      : [...officer.unavailable, [day, shift]];
    unavailable.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // Shown at once; a refusal puts the server's copy back.
    this.dispatch({ type: 'holidays/setAvailability', officerId, unavailable });
    void this.write(
      'availability',
      `/api/holidays/${id}/officers/${encodeURIComponent(officerId)}/availability`,
      { method: 'PUT', json: { unavailable } },
      () => undefined,
    ).then((ok) => {
      if (!ok) this.dispatch({ type: 'holidays/invalidate', resources: ['officers', 'detail'] });
    });
  }

  solve(): void {
    const id = this.state.holidayId;
    if (id === null || this.state.solve.status === 'running') return;
    const body = solveRequestOf(this.state.whatIf);
    this.dispatch({ type: 'holidays/solveStarted', holidayId: id, startedAtMs: Date.now() });
    // The panel stays usable while the server solves (2–10 s): nothing waits on this promise.
    void (async () => {
      try {
        const plan = await request<PlanDetail>(`/api/holidays/${id}/plans`, { method: 'POST', json: body });
        this.dispatch({ type: 'holidays/solved', holidayId: id, plan });
      } catch (err) {
        this.dispatch({ type: 'holidays/solveFailed', holidayId: id, message: (err as Error).message });
      }
    })();
  }

  publish(planId: number): void {
    const id = this.state.holidayId;
    if (id === null) return;
    void this.write('publish', `/api/holidays/${id}/plans/${planId}/publish`, { method: 'POST' }, () =>
      this.dispatch({ type: 'holidays/invalidate', resources: ['list', 'detail', 'plans', 'plan'] }),
    );
  }

  rosterUrl(planId: number, format: 'csv' | 'xlsx'): string {
    return this.state.holidayId === null ? '#' : rosterUrl(this.state.holidayId, planId, format);
  }

  printZone(warZoneId: number): void {
    // The sheet is drawn for the chosen zone (synchronously, by the store's listeners) before printing.
    this.dispatch({ type: 'holidays/selectZone', zoneId: warZoneId });
    window.print();
  }
}
