/**
 * Synthetic risk events for the demo county: police incidents, disputes, petitions, online fraud
 * and traffic accidents. They carry the structure the county leaders' risk maps must find — place
 * (county seat > township seats > remote villages), hour of day, weekday, holidays, trends, hotspot
 * villages, accidents on sharp curves — and are deterministic from the seed. Pure, no I/O.
 *
 * Clock: hours of day and holiday dates are China Standard Time (UTC+8, no daylight saving);
 * `occurredAt` is an ordinary instant.
 */
import type { EventCategory } from '../../db/schema.js';
import type { EventRecord, LonLat } from '../model.js';
import { Random } from './random.js';
import { metresPerDegree } from './raster.js';

/** What the event generator needs from the county model. */
export interface EventInput {
  villages: readonly {
    code: string;
    townshipCode: string;
    kind: 'village' | 'community';
    centre: LonLat;
    households: number;
  }[];
  households: readonly { villageCode: string; point: LonLat; persons: number; aged70Plus: number }[];
  roadEdges: readonly {
    id: number;
    roadClass: 'county' | 'township' | 'village';
    coordinates: readonly LonLat[];
    lengthMetres: number;
    turningDegreesPerKm: number | null;
  }[];
  /** Township code → police station code. */
  stationOfTownship: Readonly<Record<string, string>>;
  /** The county seat's township (罗阳镇, 330329100): urban, busiest. */
  countySeatTownshipCode: string;
}

/** Seed, period and an optional multiplier on every rate (tests use it for statistical power). */
export interface EventOptions {
  seed: number | string;
  start: Date;
  /** Exclusive. */
  end: Date;
  /** Multiplies every rate; default 1. */
  ratesScale?: number;
}

/** How a hotspot village's excess rate evolves over the period. */
export type HotspotPattern = 'persistent' | 'emerging' | 'diminishing';

/** The generator's output: the events, sorted by time, and the hotspot villages it planted. */
export interface GeneratedEvents {
  events: EventRecord[];
  hotspots: { villageCode: string; pattern: HotspotPattern }[];
}

/** Holidays with their own policing load. */
export type HolidayKind = 'spring_festival' | 'qingming' | 'labour_day' | 'national_day';

/**
 * Subcategory codes of each category (null subcategory for traffic accidents). Incident: 盗窃,
 * 打架斗殴, 扰乱秩序, 求助, 火情, 其他. Dispute: 土地山林, 邻里, 婚姻家庭, 劳资, 借贷, 其他.
 * Petition: 征地拆迁, 下山移民, 生态环境, 涉众金融, 其他. Fraud: 冒充公检法, 刷单返利, 投资理财,
 * 婚恋交友, 其他.
 */
export const EVENT_SUBCATEGORIES: Readonly<Record<EventCategory, readonly string[]>> = {
  incident: ['theft', 'fight', 'disturbance', 'help', 'fire', 'other'],
  dispute: ['land', 'neighbour', 'family', 'labour', 'debt', 'other'],
  petition: ['land_acquisition', 'relocation', 'environment', 'finance', 'other'],
  fraud: ['telecom', 'shopping', 'investment', 'romance', 'other'],
  traffic_accident: [],
};

/**
 * County-average events per household per year, as the mean over the generated period (hotspot
 * villages add a few per cent on top). For ~110 k households: ~25 k events a year.
 */
export const EVENT_RATES_PER_HOUSEHOLD_YEAR: Readonly<Record<EventCategory, number>> = {
  incident: 0.105,
  dispute: 0.055,
  fraud: 0.032,
  traffic_accident: 0.026,
  petition: 0.0035,
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const YEAR_MS = 365.25 * DAY_MS;
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** First day of the Spring Festival (正月初一), by year. Outside these years there is none. */
const SPRING_FESTIVAL: Readonly<Record<number, readonly [month: number, day: number]>> = {
  2019: [2, 5],
  2020: [1, 25],
  2021: [2, 12],
  2022: [2, 1],
  2023: [1, 22],
  2024: [2, 10],
  2025: [1, 29],
  2026: [2, 17],
  2027: [2, 6],
  2028: [1, 26],
};

/** Calendar fields of an instant in China Standard Time; weekday 0 = Sunday. */
export function chinaLocalTime(date: Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  weekday: number;
} {
  const local = new Date(date.getTime() + CHINA_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    weekday: local.getUTCDay(),
  };
}

/**
 * The holiday an instant falls in (China Standard Time), or null. Spring Festival: its eve and the
 * seven days from 正月初一; Qingming: the solar-term day ± 1; Labour Day: May 1–5; National Day:
 * Oct 1–7. Make-up working days (调休) are ignored.
 */
export function chinaHoliday(date: Date): HolidayKind | null {
  const { year, month, day } = chinaLocalTime(date);
  return holidayOfLocalDate(year, month, day);
}

function holidayOfLocalDate(year: number, month: number, day: number): HolidayKind | null {
  if (month === 5 && day <= 5) return 'labour_day';
  if (month === 10 && day <= 7) return 'national_day';
  if (month === 4 && Math.abs(day - qingmingDay(year)) <= 1) return 'qingming';
  const festival = SPRING_FESTIVAL[year];
  if (festival) {
    const offsetDays = (Date.UTC(year, month - 1, day) - Date.UTC(year, festival[0] - 1, festival[1])) / DAY_MS;
    if (offsetDays >= -1 && offsetDays <= 6) return 'spring_festival';
  }
  return null;
}

/** April day of the Qingming solar term, 21st-century formula (2019–2026: 5, 4, 4, 5, 5, 4, 4, 5). */
function qingmingDay(year: number): number {
  const y = year % 100;
  return Math.floor(y * 0.2422 + 4.81) - Math.floor(y / 4);
}

// ---------------------------------------------------------------------------------------------
// Category profiles

type PlaceTier = 'urban' | 'suburban' | 'township_seat' | 'rural';

/** Rate multiplier of each place tier before normalisation; rural villages fall with remoteness. */
const TIER_FACTOR: Record<PlaceTier, number> = { urban: 1.8, suburban: 1.3, township_seat: 1.25, rural: 1 };
const REMOTE_DISCOUNT = 0.35;

interface DayContext {
  weekend: boolean;
  holiday: HolidayKind | null;
}

interface PlaceContext {
  tier: PlaceTier;
  /** 0 at the township seat, 1 at the township's farthest village. */
  remoteness: number;
  /** Share of residents aged 70+. */
  agedShare: number;
}

type HourProfileName = 'general' | 'nightlife' | 'daytime' | 'online' | 'office' | 'traffic';

/** Relative frequency by local hour 0–23. */
const HOUR_PROFILES: Record<HourProfileName, readonly number[]> = {
  // few 02:00–06:00, building through the day, peak 17:00–22:00
  general: [
    0.55, 0.4, 0.28, 0.22, 0.2, 0.25, 0.4, 0.65, 0.85, 0.95, 1, 1, 0.95, 0.95, 1, 1.05, 1.15, 1.35, 1.45, 1.5, 1.5,
    1.35, 1.1, 0.8,
  ],
  // fights: drinking hours, late evening into the night
  nightlife: [
    1.1, 0.85, 0.5, 0.3, 0.2, 0.15, 0.15, 0.25, 0.4, 0.5, 0.6, 0.7, 0.8, 0.75, 0.7, 0.75, 0.9, 1.2, 1.5, 1.8, 2, 2, 1.8,
    1.4,
  ],
  // disputes: waking hours, evenings at home
  daytime: [
    0.15, 0.1, 0.06, 0.05, 0.05, 0.08, 0.2, 0.5, 0.9, 1.2, 1.25, 1.1, 0.8, 0.9, 1.1, 1.15, 1.2, 1.25, 1.3, 1.3, 1.1,
    0.8, 0.5, 0.3,
  ],
  // fraud: phone calls by day, chat and shopping in the evening
  online: [
    0.3, 0.2, 0.12, 0.08, 0.06, 0.08, 0.15, 0.4, 0.8, 1.1, 1.2, 1.2, 1, 1, 1.1, 1.15, 1.1, 1.05, 1.1, 1.25, 1.35, 1.3,
    1, 0.6,
  ],
  // petitions: office hours
  office: [0, 0, 0, 0, 0, 0, 0.02, 0.2, 1, 1.4, 1.4, 0.9, 0.3, 0.6, 1.3, 1.4, 1.2, 0.5, 0.1, 0.05, 0.02, 0, 0, 0],
  // traffic: morning and late-afternoon peaks
  traffic: [
    0.35, 0.25, 0.18, 0.15, 0.15, 0.3, 0.7, 1.3, 1.4, 1, 0.9, 1, 1.05, 0.95, 0.95, 1.05, 1.3, 1.6, 1.55, 1.2, 0.95,
    0.75, 0.6, 0.45,
  ],
};

interface CategoryProfile {
  /** How strongly the place tier scales the rate (exponent on the tier factor). */
  placeElasticity: number;
  /** Day multiplier on Saturdays and Sundays (weekdays 1). */
  weekendFactor: number;
  /** Day multiplier on holidays, instead of the weekday one. */
  holidayFactor: Record<HolidayKind, number>;
  /** Relative change per year (0.25 = +25 %/yr), centred on the middle of the period. */
  trendPerYear: number;
  /** Cosine seasonality: relative amplitude and day of year of the peak. */
  seasonAmplitude: number;
  seasonPeakDayOfYear: number;
  /** Base weight of each subcategory, in EVENT_SUBCATEGORIES order. */
  subcategoryWeights: readonly number[];
  /** Multiplier on a subcategory's weight for one day and place. */
  adjustSubcategory: (code: string, day: DayContext, place: PlaceContext | null) => number;
  hourProfile: (subcategory: string | null) => HourProfileName;
}

const noHoliday = (factor: number): Record<HolidayKind, number> => ({
  spring_festival: factor,
  qingming: factor,
  labour_day: factor,
  national_day: factor,
});

const PROFILES: Record<EventCategory, CategoryProfile> = {
  incident: {
    placeElasticity: 1,
    weekendFactor: 1.12,
    holidayFactor: { spring_festival: 1.7, qingming: 1.4, labour_day: 1.3, national_day: 1.4 },
    trendPerYear: 0,
    seasonAmplitude: 0.08,
    seasonPeakDayOfYear: 200,
    subcategoryWeights: [0.26, 0.14, 0.14, 0.3, 0.04, 0.12],
    adjustSubcategory: (code, day, place) => {
      let factor = 1;
      if (code === 'fight' && (day.weekend || day.holiday)) factor *= 1.6;
      // fireworks at the Spring Festival, hill fires from grave offerings at Qingming
      if (code === 'fire' && day.holiday === 'spring_festival') factor *= 3;
      if (code === 'fire' && day.holiday === 'qingming') factor *= 4;
      if (code === 'theft' && place && (place.tier === 'urban' || place.tier === 'suburban')) factor *= 1.4;
      if (code === 'help' && place) factor *= 1 + 2 * place.agedShare;
      return factor;
    },
    hourProfile: (subcategory) => (subcategory === 'fight' ? 'nightlife' : 'general'),
  },
  dispute: {
    placeElasticity: 0.5,
    weekendFactor: 1.05,
    holidayFactor: { spring_festival: 1.6, qingming: 1.5, labour_day: 1.2, national_day: 1.3 },
    trendPerYear: -0.08,
    seasonAmplitude: 0.05,
    seasonPeakDayOfYear: 100,
    subcategoryWeights: [0.22, 0.26, 0.22, 0.1, 0.12, 0.08],
    adjustSubcategory: (code, day, place) => {
      let factor = 1;
      const urban = place !== null && (place.tier === 'urban' || place.tier === 'suburban');
      if (code === 'land') factor *= urban ? 0.3 : 1.6;
      if (urban && code === 'labour') factor *= 1.8;
      if (urban && code === 'debt') factor *= 1.4;
      // migrants home for the Spring Festival; tomb and hill-land quarrels at Qingming
      if (day.holiday === 'spring_festival' && (code === 'family' || code === 'debt')) factor *= 1.7;
      if (day.holiday === 'qingming' && code === 'land') factor *= 2;
      return factor;
    },
    hourProfile: () => 'daytime',
  },
  petition: {
    placeElasticity: 0.4,
    weekendFactor: 0.25,
    holidayFactor: noHoliday(0.4),
    trendPerYear: 0,
    seasonAmplitude: 0.2,
    seasonPeakDayOfYear: 74,
    subcategoryWeights: [0.3, 0.2, 0.15, 0.15, 0.2],
    adjustSubcategory: (code, _day, place) => {
      if (!place) return 1;
      const urban = place.tier === 'urban' || place.tier === 'suburban';
      if (code === 'land_acquisition' && urban) return 1.5;
      if (code === 'finance' && urban) return 2;
      if (code === 'relocation') return urban ? 0.4 : 1 + 2 * place.remoteness;
      return 1;
    },
    hourProfile: () => 'office',
  },
  fraud: {
    placeElasticity: 1.3,
    weekendFactor: 0.92,
    holidayFactor: noHoliday(1),
    trendPerYear: 0.25,
    seasonAmplitude: 0,
    seasonPeakDayOfYear: 0,
    subcategoryWeights: [0.25, 0.3, 0.2, 0.12, 0.13],
    adjustSubcategory: (code, _day, place) => {
      if (!place) return 1;
      // impersonation calls target the elderly; investment scams the towns
      if (code === 'telecom') return 1 + 3 * place.agedShare;
      if (code === 'investment' && (place.tier === 'urban' || place.tier === 'suburban')) return 1.3;
      return 1;
    },
    hourProfile: () => 'online',
  },
  traffic_accident: {
    placeElasticity: 0,
    weekendFactor: 1.25,
    // migrants driving home, tomb-sweeping trips on mountain roads, holiday tourism
    holidayFactor: { spring_festival: 1.7, qingming: 2, labour_day: 1.5, national_day: 1.6 },
    trendPerYear: 0,
    seasonAmplitude: 0,
    seasonPeakDayOfYear: 0,
    subcategoryWeights: [],
    adjustSubcategory: () => 1,
    hourProfile: () => 'traffic',
  },
};

/** Categories placed at villages (households or centres); traffic accidents go on roads. */
const VILLAGE_CATEGORIES: readonly EventCategory[] = ['incident', 'dispute', 'petition', 'fraud'];

/** Traffic weight per km of road by class: trunk roads carry most of the traffic. */
const ROAD_CLASS_FACTOR: Record<'county' | 'township' | 'village', number> = {
  county: 2.5,
  township: 1.5,
  village: 0.6,
};
/** Turning (°/km) that weighs as much as a straight road's background risk. */
const BACKGROUND_TURNING_DEGREES_PER_KM = 60;
const HOUSEHOLD_JITTER_METRES = 6;
const ROAD_JITTER_METRES = 20;

// ---------------------------------------------------------------------------------------------
// The generator

/**
 * Generate the county's risk events over [start, end): Poisson counts per local day and category
 * from per-household rates shaped by place, weekday, holiday, season, trend and hotspot villages;
 * incidents, disputes and fraud at household points (∝ persons), petitions at village centres,
 * traffic accidents on road edges weighted by class × length × turning². Rates scale with each
 * village's `households`; a village without household points gets its events at its centre.
 * Same seed ⇒ same output.
 */
export function generateEvents(input: EventInput, options: EventOptions): GeneratedEvents {
  const startMs = options.start.getTime();
  const endMs = options.end.getTime();
  const ratesScale = options.ratesScale ?? 1;
  if (!(endMs > startMs) || !(ratesScale >= 0) || input.villages.length === 0) return { events: [], hotspots: [] };

  const root = new Random(options.seed);
  const places = describeVillages(input);
  const hotspots = pickHotspots(places, root.fork('hotspots'));

  const events: EventRecord[] = [];
  const run: Run = {
    places,
    hotspots,
    days: localDays(startMs, endMs),
    startMs,
    endMs,
    ratesScale,
    metres: metresPerDegree(meanLatitude(input)),
    push: (event) => {
      const atMs = event.occurredAt.getTime();
      if (atMs >= startMs && atMs < endMs) events.push(event);
    },
  };
  // One generator per category, so that changing one category's rules leaves the others alone.
  for (const category of VILLAGE_CATEGORIES) generateVillageEvents(category, run, root.fork(category));
  generateTrafficAccidents(input.roadEdges, run, root.fork('traffic_accident'));

  return {
    events: sortByTime(events),
    hotspots: hotspots.map((h) => ({ villageCode: places[h.village]!.code, pattern: h.pattern })),
  };
}

/** What one generation run shares between the categories. */
interface Run {
  places: readonly VillagePlace[];
  hotspots: readonly Hotspot[];
  days: readonly LocalDay[];
  startMs: number;
  endMs: number;
  ratesScale: number;
  metres: { lat: number; lon: number };
  /** Keeps an event if it falls inside [start, end). */
  push: (event: EventRecord) => void;
}

interface VillagePlace extends PlaceContext {
  code: string;
  townshipCode: string;
  kind: 'village' | 'community';
  stationCode: string | null;
  centre: LonLat;
  households: number;
  /** Household points and cumulative persons, for choosing a household ∝ persons. */
  householdPoints: LonLat[];
  cumulativePersons: Float64Array;
}

/** Tier, remoteness, household lists and station of each village. */
function describeVillages(input: EventInput): VillagePlace[] {
  const places: VillagePlace[] = input.villages.map((v) => ({
    code: v.code,
    townshipCode: v.townshipCode,
    kind: v.kind,
    stationCode: input.stationOfTownship[v.townshipCode] ?? null,
    centre: v.centre,
    households: Math.max(0, v.households),
    tier: 'rural',
    remoteness: 0,
    agedShare: 0,
    householdPoints: [],
    cumulativePersons: new Float64Array(0),
  }));

  const byCode = new Map(places.map((p, i) => [p.code, i]));
  const persons: number[][] = places.map(() => []);
  const aged = new Float64Array(places.length);
  for (const household of input.households) {
    const index = byCode.get(household.villageCode);
    if (index === undefined) continue;
    places[index]!.householdPoints.push(household.point);
    persons[index]!.push(Math.max(0, household.persons));
    aged[index]! += Math.max(0, household.aged70Plus);
  }
  places.forEach((place, i) => {
    const cumulative = new Float64Array(persons[i]!.length);
    let total = 0;
    persons[i]!.forEach((count, j) => (cumulative[j] = total += count));
    place.cumulativePersons = cumulative;
    place.agedShare = total > 0 ? aged[i]! / total : 0;
  });

  const townships = new Map<string, VillagePlace[]>();
  for (const place of places) {
    const list = townships.get(place.townshipCode) ?? [];
    list.push(place);
    townships.set(place.townshipCode, list);
  }
  for (const [townshipCode, members] of townships) {
    if (townshipCode === input.countySeatTownshipCode) {
      for (const place of members) place.tier = place.kind === 'community' ? 'urban' : 'suburban';
      continue;
    }
    // The seat is not in the input: take the township's community if it has one, else its largest village.
    const seatRank = (p: VillagePlace): number => (p.kind === 'community' ? Infinity : p.households);
    const seat = members.reduce((best, p) => (seatRank(p) > seatRank(best) ? p : best));
    seat.tier = 'township_seat';
    const lonScale = Math.cos((seat.centre[1] * Math.PI) / 180);
    const distances = members.map((p) =>
      Math.hypot((p.centre[0] - seat.centre[0]) * lonScale, p.centre[1] - seat.centre[1]),
    );
    const farthest = Math.max(...distances);
    members.forEach((p, i) => {
      if (p !== seat) p.remoteness = farthest > 0 ? distances[i]! / farthest : 0;
    });
  }
  return places;
}

/** The per-household rate multiplier of a village for a category, before hotspots and normalisation. */
function placeFactor(place: PlaceContext, category: EventCategory): number {
  const tier = TIER_FACTOR[place.tier] * (place.tier === 'rural' ? 1 - REMOTE_DISCOUNT * place.remoteness : 1);
  return tier ** PROFILES[category].placeElasticity;
}

interface Hotspot {
  village: number;
  pattern: HotspotPattern;
  /** Peak multiplier of the village's rate. */
  peakFactor: number;
}

/**
 * 3–5 persistent, 1–2 emerging and 1 diminishing hotspot among non-community villages, preferring
 * villages of at least median size so that the pattern rises above the noise.
 */
function pickHotspots(places: readonly VillagePlace[], rng: Random): Hotspot[] {
  const villages = places.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === 'village');
  const sizes = villages.map(({ p }) => p.households).sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
  const large = shuffle(
    villages.filter(({ p }) => p.households >= median).map(({ i }) => i),
    rng,
  );
  const small = shuffle(
    villages.filter(({ p }) => p.households < median).map(({ i }) => i),
    rng,
  );
  const candidates = [...large, ...small];
  const wanted: HotspotPattern[] = [
    ...Array<HotspotPattern>(rng.int(3, 5)).fill('persistent'),
    ...Array<HotspotPattern>(rng.int(1, 2)).fill('emerging'),
    'diminishing',
  ];
  return wanted.slice(0, candidates.length).map((pattern, k) => ({
    village: candidates[k]!,
    pattern,
    peakFactor: pattern === 'persistent' ? rng.uniform(2.5, 4) : rng.uniform(3, 4),
  }));
}

function shuffle<T>(items: T[], rng: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Multiplier of a hotspot village's rate at an instant: persistent — constant; emerging — 1 until
 * the last 12 months, then a linear ramp to the peak; diminishing — the peak at the start, falling
 * linearly to 1 six months before the end.
 */
function hotspotFactor(hotspot: Hotspot, atMs: number, startMs: number, endMs: number): number {
  const extra = hotspot.peakFactor - 1;
  if (hotspot.pattern === 'persistent') return hotspot.peakFactor;
  if (hotspot.pattern === 'emerging') {
    const rampStartMs = Math.max(startMs, endMs - YEAR_MS);
    return 1 + extra * clamp01((atMs - rampStartMs) / (endMs - rampStartMs));
  }
  const normalFromMs = endMs - startMs > YEAR_MS ? endMs - YEAR_MS / 2 : endMs;
  return 1 + extra * (1 - clamp01((atMs - startMs) / (normalFromMs - startMs)));
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

interface LocalDay {
  /** The instant of local midnight. */
  startMs: number;
  midMs: number;
  context: DayContext;
  dayOfYear: number;
}

/** Every China-local calendar day that overlaps [startMs, endMs). */
function localDays(startMs: number, endMs: number): LocalDay[] {
  const first = Math.floor((startMs + CHINA_OFFSET_MS) / DAY_MS);
  const last = Math.ceil((endMs + CHINA_OFFSET_MS) / DAY_MS);
  const days: LocalDay[] = [];
  for (let k = first; k < last; k++) {
    const local = new Date(k * DAY_MS);
    const year = local.getUTCFullYear();
    const weekday = local.getUTCDay();
    days.push({
      startMs: k * DAY_MS - CHINA_OFFSET_MS,
      midMs: k * DAY_MS - CHINA_OFFSET_MS + DAY_MS / 2,
      context: {
        weekend: weekday === 0 || weekday === 6,
        holiday: holidayOfLocalDate(year, local.getUTCMonth() + 1, local.getUTCDate()),
      },
      dayOfYear: (k * DAY_MS - Date.UTC(year, 0, 1)) / DAY_MS + 1,
    });
  }
  return days;
}

/**
 * Each day's rate multiplier for a category (weekday or holiday × season × trend), normalised to a
 * mean of 1 over the period so that the base rates stay the period means.
 */
function dayMultipliers(
  category: EventCategory,
  days: readonly LocalDay[],
  startMs: number,
  endMs: number,
): Float64Array {
  const profile = PROFILES[category];
  const midMs = (startMs + endMs) / 2;
  const multipliers = new Float64Array(days.length);
  let sum = 0;
  days.forEach((day, k) => {
    const { weekend, holiday } = day.context;
    const calendar = holiday ? profile.holidayFactor[holiday] : weekend ? profile.weekendFactor : 1;
    const season =
      1 + profile.seasonAmplitude * Math.cos((2 * Math.PI * (day.dayOfYear - profile.seasonPeakDayOfYear)) / 365.25);
    const trend = (1 + profile.trendPerYear) ** ((day.midMs - midMs) / YEAR_MS);
    multipliers[k] = calendar * season * trend;
    sum += multipliers[k]!;
  });
  const mean = sum / days.length;
  for (let k = 0; k < multipliers.length; k++) multipliers[k]! /= mean;
  return multipliers;
}

/** Incidents, disputes and fraud at household points; petitions at village centres. */
function generateVillageEvents(category: EventCategory, run: Run, rng: Random): void {
  const { places, hotspots, days, startMs, endMs, metres, push } = run;
  const profile = PROFILES[category];
  const codes = EVENT_SUBCATEGORIES[category];

  // Household-weighted place factors, normalised to a county mean of 1 per household.
  const raw = places.map((p) => placeFactor(p, category));
  const totalHouseholds = places.reduce((s, p) => s + p.households, 0);
  if (totalHouseholds === 0) return;
  const norm = places.reduce((s, p, i) => s + p.households * raw[i]!, 0) / totalHouseholds;
  const base = raw.map((r) => r / norm);
  const cumulativeBase = new Float64Array(places.length);
  let baseTotal = 0;
  places.forEach((p, i) => (cumulativeBase[i] = baseTotal += p.households * base[i]!));

  // A hotspot adds (factor − 1) × the county mean, or × its own rate when that is higher.
  const hotspotUnit = hotspots.map((h) => places[h.village]!.households * Math.max(1, base[h.village]!));
  const excess = new Float64Array(hotspots.length);
  const weights = new Float64Array(codes.length);

  const multipliers = dayMultipliers(category, days, startMs, endMs);
  const perDay = (EVENT_RATES_PER_HOUSEHOLD_YEAR[category] * run.ratesScale) / 365.25;

  days.forEach((day, k) => {
    let excessTotal = 0;
    hotspots.forEach((h, j) => {
      excess[j] = (hotspotFactor(h, day.midMs, startMs, endMs) - 1) * hotspotUnit[j]!;
      excessTotal += excess[j]!;
    });
    const count = rng.poisson(perDay * multipliers[k]! * (baseTotal + excessTotal));
    for (let n = 0; n < count; n++) {
      const target = rng.next() * (baseTotal + excessTotal);
      const village =
        target < baseTotal
          ? pickIndex(cumulativeBase, target)
          : hotspots[pickExcess(excess, target - baseTotal)]!.village;
      const place = places[village]!;
      for (let s = 0; s < codes.length; s++) {
        weights[s] = profile.subcategoryWeights[s]! * profile.adjustSubcategory(codes[s]!, day.context, place);
      }
      const subcategory = codes[pickWeighted(weights, rng.next())]!;
      const atMs = day.startMs + timeOfDayMs(profile.hourProfile(subcategory), rng);
      let point: LonLat;
      if (category === 'petition' || place.householdPoints.length === 0) {
        point = place.centre;
      } else {
        const cumulative = place.cumulativePersons;
        const total = cumulative[cumulative.length - 1]!;
        const household =
          total > 0 ? pickIndex(cumulative, rng.next() * total) : rng.int(0, place.householdPoints.length - 1);
        point = jitter(place.householdPoints[household]!, HOUSEHOLD_JITTER_METRES, metres, rng);
      }
      push({
        category,
        subcategory,
        occurredAt: new Date(atMs),
        villageCode: place.code,
        stationCode: place.stationCode,
        point: [round6(point[0]), round6(point[1])],
      });
    }
  });
}

/** Traffic accidents on road edges, clustered at sharp bends; village = nearest village centre. */
function generateTrafficAccidents(roadEdges: EventInput['roadEdges'], run: Run, rng: Random): void {
  const { places, days, startMs, endMs, metres, push } = run;
  const edges = roadEdges.filter((e) => e.coordinates.length >= 2 && e.lengthMetres > 0);
  if (edges.length === 0) return;
  const background = BACKGROUND_TURNING_DEGREES_PER_KM ** 2;
  const cumulativeEdge = new Float64Array(edges.length);
  let edgeTotal = 0;
  edges.forEach((e, i) => {
    const turning = e.turningDegreesPerKm ?? 0;
    edgeTotal += ROAD_CLASS_FACTOR[e.roadClass] * (e.lengthMetres / 1000) * (turning ** 2 + background);
    cumulativeEdge[i] = edgeTotal;
  });
  if (!(edgeTotal > 0)) return;

  const shapes = new Map<number, EdgeShape>();
  const nearest = new NearestCentreIndex(
    places.map((p) => p.centre),
    metres,
  );
  const totalHouseholds = places.reduce((s, p) => s + p.households, 0);
  const multipliers = dayMultipliers('traffic_accident', days, startMs, endMs);
  const perDay = (EVENT_RATES_PER_HOUSEHOLD_YEAR.traffic_accident * run.ratesScale * totalHouseholds) / 365.25;

  days.forEach((day, k) => {
    const count = rng.poisson(perDay * multipliers[k]!);
    for (let n = 0; n < count; n++) {
      const edgeIndex = pickIndex(cumulativeEdge, rng.next() * edgeTotal);
      const edge = edges[edgeIndex]!;
      let shape = shapes.get(edgeIndex);
      if (!shape) shapes.set(edgeIndex, (shape = edgeShape(edge.coordinates, metres)));
      const turning = edge.turningDegreesPerKm ?? 0;
      const onBend = rng.next() < turning ** 2 / (turning ** 2 + background) && shape.totalBendWeight > 0;
      const spot = onBend ? bendVertex(edge.coordinates, shape, rng) : pointAlong(edge.coordinates, shape, rng);
      const point = jitter(spot, ROAD_JITTER_METRES, metres, rng);
      const atMs = day.startMs + timeOfDayMs('traffic', rng);
      const place = places[nearest.nearest(point)];
      push({
        category: 'traffic_accident',
        subcategory: null,
        occurredAt: new Date(atMs),
        villageCode: place?.code ?? null,
        stationCode: place?.stationCode ?? null,
        point: [round6(point[0]), round6(point[1])],
      });
    }
  });
}

interface EdgeShape {
  /** Cumulative length at each vertex, metres. */
  cumulativeMetres: Float64Array;
  /** Cumulative (turn angle in degrees)² over the vertices; the end vertices weigh 0. */
  cumulativeBendWeight: Float64Array;
  totalBendWeight: number;
}

function edgeShape(coordinates: readonly LonLat[], metres: { lat: number; lon: number }): EdgeShape {
  const n = coordinates.length;
  const cumulativeMetres = new Float64Array(n);
  const cumulativeBendWeight = new Float64Array(n);
  let length = 0;
  let bend = 0;
  for (let i = 1; i < n; i++) {
    const [ax, ay] = toMetres(coordinates[i - 1]!, metres);
    const [bx, by] = toMetres(coordinates[i]!, metres);
    length += Math.hypot(bx - ax, by - ay);
    cumulativeMetres[i] = length;
    if (i < n - 1) {
      const [cx, cy] = toMetres(coordinates[i + 1]!, metres);
      const inX = bx - ax;
      const inY = by - ay;
      const outX = cx - bx;
      const outY = cy - by;
      const lengths = Math.hypot(inX, inY) * Math.hypot(outX, outY);
      if (lengths > 0) {
        const cosine = Math.max(-1, Math.min(1, (inX * outX + inY * outY) / lengths));
        bend += ((Math.acos(cosine) * 180) / Math.PI) ** 2;
      }
    }
    cumulativeBendWeight[i] = bend;
  }
  return { cumulativeMetres, cumulativeBendWeight, totalBendWeight: bend };
}

/** A vertex chosen ∝ (turn angle)². */
function bendVertex(coordinates: readonly LonLat[], shape: EdgeShape, rng: Random): LonLat {
  return coordinates[pickIndex(shape.cumulativeBendWeight, rng.next() * shape.totalBendWeight)]!;
}

/** A point uniform along the edge's length. */
function pointAlong(coordinates: readonly LonLat[], shape: EdgeShape, rng: Random): LonLat {
  const total = shape.cumulativeMetres[shape.cumulativeMetres.length - 1]!;
  if (!(total > 0)) return coordinates[0]!;
  const at = rng.next() * total;
  const i = Math.max(1, pickIndex(shape.cumulativeMetres, at));
  const from = coordinates[i - 1]!;
  const to = coordinates[i]!;
  const segment = shape.cumulativeMetres[i]! - shape.cumulativeMetres[i - 1]!;
  const t = segment > 0 ? (at - shape.cumulativeMetres[i - 1]!) / segment : 0;
  return [from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1])];
}

/**
 * Nearest point among a fixed set, by a square bucket grid searched in growing rings. Planar
 * (equirectangular) distances: exact enough within a county.
 */
class NearestCentreIndex {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly buckets = new Map<number, number[]>();
  private readonly cellMetres: number;
  private readonly minCol: number;
  private readonly minRow: number;
  private readonly maxCol: number;
  private readonly maxRow: number;

  constructor(
    points: readonly LonLat[],
    private readonly metres: { lat: number; lon: number },
  ) {
    this.xs = new Float64Array(points.length);
    this.ys = new Float64Array(points.length);
    points.forEach((p, i) => ([this.xs[i], this.ys[i]] = toMetres(p, metres)));
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < points.length; i++) {
      minX = Math.min(minX, this.xs[i]!);
      maxX = Math.max(maxX, this.xs[i]!);
      minY = Math.min(minY, this.ys[i]!);
      maxY = Math.max(maxY, this.ys[i]!);
    }
    // About one point per cell, never below 200 m.
    const area = Math.max(1, (maxX - minX) * (maxY - minY));
    this.cellMetres = Math.max(200, Math.sqrt(area / Math.max(1, points.length)));
    this.minCol = Math.floor(minX / this.cellMetres);
    this.maxCol = Math.floor(maxX / this.cellMetres);
    this.minRow = Math.floor(minY / this.cellMetres);
    this.maxRow = Math.floor(maxY / this.cellMetres);
    for (let i = 0; i < points.length; i++) {
      const key = this.key(Math.floor(this.xs[i]! / this.cellMetres), Math.floor(this.ys[i]! / this.cellMetres));
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(i);
      else this.buckets.set(key, [i]);
    }
  }

  /** Index of the nearest point, or -1 when the set is empty. */
  nearest(point: LonLat): number {
    if (this.xs.length === 0) return -1;
    const [x, y] = toMetres(point, this.metres);
    const col = Math.floor(x / this.cellMetres);
    const row = Math.floor(y / this.cellMetres);
    // Rings beyond this one cannot reach any occupied cell.
    const maxRing = Math.max(
      Math.abs(col - this.minCol),
      Math.abs(col - this.maxCol),
      Math.abs(row - this.minRow),
      Math.abs(row - this.maxRow),
    );
    let best = -1;
    let bestDistance = Infinity;
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let dc = -ring; dc <= ring; dc++) {
        const step = Math.abs(dc) === ring ? 1 : 2 * ring;
        for (let dr = -ring; dr <= ring; dr += Math.max(1, step)) {
          const bucket = this.buckets.get(this.key(col + dc, row + dr));
          if (!bucket) continue;
          for (const i of bucket) {
            const distance = Math.hypot(this.xs[i]! - x, this.ys[i]! - y);
            if (distance < bestDistance || (distance === bestDistance && i < best)) {
              best = i;
              bestDistance = distance;
            }
          }
        }
      }
      // Every point in a farther ring is at least ring × cell away.
      if (best >= 0 && bestDistance <= ring * this.cellMetres) break;
    }
    return best;
  }

  private key(col: number, row: number): number {
    return (col + 50_000) * 100_003 + (row + 50_000);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** The events in time order; ties keep generation order, so the result stays deterministic. */
function sortByTime(events: readonly EventRecord[]): EventRecord[] {
  const times = new Float64Array(events.length);
  events.forEach((e, i) => (times[i] = e.occurredAt.getTime()));
  const order = Uint32Array.from(events.keys()).sort((a, b) => times[a]! - times[b]! || a - b);
  return Array.from(order, (i) => events[i]!);
}

/** Milliseconds after local midnight: an hour from the profile, then a uniform second within it. */
function timeOfDayMs(profile: HourProfileName, rng: Random): number {
  const hour = pickWeighted(HOUR_PROFILES[profile], rng.next());
  return hour * HOUR_MS + Math.floor(rng.next() * 3600) * 1000;
}

/** First index whose cumulative weight exceeds the target (zero-weight entries are never chosen). */
function pickIndex(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** An index chosen ∝ weights, from a uniform u in [0, 1). */
function pickWeighted(weights: ArrayLike<number>, u: number): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let target = u * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/** Index into the hotspot excess array for a target within its total. */
function pickExcess(excess: Float64Array, target: number): number {
  for (let j = 0; j < excess.length; j++) {
    target -= excess[j]!;
    if (target < 0) return j;
  }
  return excess.length - 1;
}

/** A point uniform in a disc of the given radius around a centre. */
function jitter(centre: LonLat, radiusMetres: number, metres: { lat: number; lon: number }, rng: Random): LonLat {
  const r = radiusMetres * Math.sqrt(rng.next());
  const angle = 2 * Math.PI * rng.next();
  return [centre[0] + (r * Math.cos(angle)) / metres.lon, centre[1] + (r * Math.sin(angle)) / metres.lat];
}

function toMetres(point: LonLat, metres: { lat: number; lon: number }): [number, number] {
  return [point[0] * metres.lon, point[1] * metres.lat];
}

function meanLatitude(input: EventInput): number {
  return input.villages.reduce((s, v) => s + v.centre[1], 0) / input.villages.length;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
