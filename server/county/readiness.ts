/**
 * How far a county is from usable: each layer with its count, when it was last imported and the
 * share of estimated rows, and each capability with the layers it needs and the exact problems
 * still in the way (grids need villages, households and roads; no-trip needs stations, roads and
 * bus stops; holidays need stations, war zones and officers; risk needs events; the DEM gives the
 * hillshade and, with the roads, their climbs).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { CAPABILITIES, READINESS_LAYERS } from '../../contracts/county.js';

// The layers and capabilities are declared once, in the API's contract.
export { CAPABILITIES, READINESS_LAYERS } from '../../contracts/county.js';
export type ReadinessLayer = (typeof READINESS_LAYERS)[number];

export interface LayerState {
  layer: ReadinessLayer;
  count: number;
  /** When the layer was last imported (ISO), null when it came with the county (generated) or is absent. */
  importedAt: string | null;
  /** Share of the rows whose position is estimated rather than surveyed (0–1); null when not applicable. */
  estimatedShare: number | null;
  /** Whether the layer is generated rather than the county's own file (only the terrain says so far). */
  synthetic?: boolean;
  /** The capabilities that need this layer. */
  unlocks: Capability[];
}

export type Capability = (typeof CAPABILITIES)[number];

/** The layers each capability needs. */
export const CAPABILITY_NEEDS: Record<Capability, readonly ReadinessLayer[]> = {
  grids: ['townships', 'villages', 'households', 'roads'],
  noTrip: ['villages', 'stations', 'jurisdictions', 'roads', 'busStops'],
  holidays: ['stations', 'warZones', 'officers'],
  risk: ['events'],
  hillshade: ['terrain'],
  // A road's climb is read from the DEM along it (not across bridges and tunnels): roads are costed flat without one.
  roadClimbs: ['terrain', 'roads'],
};

export interface CapabilityState {
  capability: Capability;
  ready: boolean;
  needs: readonly ReadinessLayer[];
  /** What is in the way, each a sentence in Chinese with its English. */
  problems: string[];
}

export interface Readiness {
  county: { code: string; name: string; synthetic: boolean };
  layers: LayerState[];
  capabilities: CapabilityState[];
}

/** The import layer whose imports date each readiness layer. */
const IMPORT_LAYER: Partial<Record<ReadinessLayer, string>> = {
  townships: 'townships',
  villages: 'villages',
  households: 'households',
  roads: 'roads',
  stations: 'stations',
  busStops: 'bus_stops',
  warZones: 'war_zones',
  officers: 'officers',
  events: 'events',
  terrain: 'terrain',
};

const EMPTY: Record<ReadinessLayer, string> = {
  outline: '没有县界（no county outline: give one, or import the townships）',
  townships: '没有乡镇（no townships imported）',
  villages: '没有行政村（no villages imported）',
  households: '没有住户（no households imported）',
  roads: '没有道路（no roads imported）',
  stations: '没有派出所（no police stations imported）',
  jurisdictions: '没有已确认的派出所辖区（no township has a confirmed police station）',
  busStops: '没有公交站点（no bus stops: import them with --layer bus_stops）',
  warZones: '没有战区（no war zones: import them with --layer war_zones, or give stations a war_zone column）',
  officers: '没有机关警力名单（no headquarters officers: import the roster with --layer officers）',
  events: '没有警情事件（no events imported）',
  terrain:
    '没有高程（no DEM: import a GeoTIFF or SRTM .hgt with --layer terrain; without it the map has no hillshade and roads are costed flat）',
};

/** At most this many examples in a problem's sentence. */
const EXAMPLES = 5;

function listed(rows: readonly string[]): string {
  return rows.length > EXAMPLES ? `${rows.slice(0, EXAMPLES).join('、')} … (${rows.length})` : rows.join('、');
}

/** The readiness of one county (404 when it is not loaded). */
export async function countyReadiness(db: Kysely<DB>, countyCode: string): Promise<Readiness> {
  const county = await db
    .selectFrom('counties')
    .select(['code', 'name', 'synthetic'])
    .where('code', '=', countyCode)
    .executeTakeFirst();
  if (!county) throw AppError.notFound(`没有代码为 ${countyCode} 的县（no county ${countyCode} is loaded）`);
  const c = countyCode;
  const counts = (
    await sql<Record<ReadinessLayer | 'estimatedHouseholds' | 'syntheticTerrain', number>>`
      select
        (select case when ST_IsEmpty(geom) then 0 else 1 end from counties where code = ${c}) as outline,
        (select count(*)::int from townships where county_code = ${c}) as townships,
        (select count(*)::int from villages v join townships t on t.code = v.township_code where t.county_code = ${c}) as villages,
        (select count(*)::int from households h join villages v on v.code = h.village_code
           join townships t on t.code = v.township_code where t.county_code = ${c}) as households,
        (select count(*)::int from households h join villages v on v.code = h.village_code
           join townships t on t.code = v.township_code where t.county_code = ${c} and h.estimated) as "estimatedHouseholds",
        (select count(*)::int from road_edges where county_code = ${c}) as roads,
        (select count(*)::int from police_stations where county_code = ${c}) as stations,
        (select count(*)::int from station_townships l join townships t on t.code = l.township_code
           where t.county_code = ${c} and l.confirmed) as jurisdictions,
        (select count(*)::int from bus_stops where county_code = ${c}) as "busStops",
        (select count(*)::int from war_zones where county_code = ${c}) as "warZones",
        (select count(*)::int from officers where county_code = ${c}) as officers,
        (select count(*)::int from events where county_code = ${c}) as events,
        (select count(*)::int from terrain where county_code = ${c}) as terrain,
        (select count(*)::int from terrain where county_code = ${c} and synthetic) as "syntheticTerrain"`.execute(db)
  ).rows[0]!;
  const imported = new Map(
    (
      await sql<{ layer: string; at: Date }>`
        select layer, max(imported_at) as at from imports where county_code = ${c} group by layer`.execute(db)
    ).rows.map((r) => [r.layer, new Date(r.at).toISOString()]),
  );
  const layers: LayerState[] = READINESS_LAYERS.map((layer) => ({
    layer,
    count: counts[layer],
    importedAt: IMPORT_LAYER[layer] ? (imported.get(IMPORT_LAYER[layer]) ?? null) : null,
    // Households a file gave without coordinates are placed along their village's roads (import/place-households.ts).
    estimatedShare:
      layer === 'households' && counts.households > 0 ? counts.estimatedHouseholds / counts.households : null,
    ...(layer === 'terrain' && counts.terrain > 0 ? { synthetic: counts.syntheticTerrain > 0 } : {}),
    unlocks: CAPABILITIES.filter((capability) => CAPABILITY_NEEDS[capability].includes(layer)),
  }));

  const problems = Object.fromEntries(CAPABILITIES.map((capability) => [capability, []])) as unknown as Record<
    Capability,
    string[]
  >;
  for (const capability of CAPABILITIES) {
    for (const layer of CAPABILITY_NEEDS[capability]) if (counts[layer] === 0) problems[capability].push(EMPTY[layer]);
  }

  if (counts.villages > 0) {
    const empty = await sql<{ label: string }>`
      select v.code || ' ' || v.name as label from villages v join townships t on t.code = v.township_code
      where t.county_code = ${c} and not exists (select 1 from households h where h.village_code = v.code)
      order by v.code`.execute(db);
    if (counts.households > 0 && empty.rows.length > 0) {
      problems.grids.push(
        `${empty.rows.length} 个村没有住户（villages without households, they get no grid）：${listed(empty.rows.map((r) => r.label))}`,
      );
    }
  }
  if (counts.townships > 0 && counts.stations > 0) {
    const unserved = await sql<{ label: string; proposed: boolean }>`
      select t.code || ' ' || t.name as label, l.township_code is not null as proposed from townships t
      left join station_townships l on l.township_code = t.code
      where t.county_code = ${c} and t.police_station_code is null order by t.code`.execute(db);
    const proposed = unserved.rows.filter((r) => r.proposed).map((r) => r.label);
    const none = unserved.rows.filter((r) => !r.proposed).map((r) => r.label);
    if (proposed.length > 0) {
      problems.noTrip.push(
        `${proposed.length} 个乡镇的派出所辖区待确认（townships whose proposed station awaits confirmation: county jurisdictions --confirm）：${listed(proposed)}`,
      );
    }
    if (none.length > 0) {
      problems.noTrip.push(
        `${none.length} 个乡镇没有派出所辖区（townships without a station: import stations with a township column, or county jurisdictions --propose）：${listed(none)}`,
      );
    }
  }
  if (counts.stations > 0 && counts.warZones > 0) {
    const unzoned = await sql<{ label: string }>`
      select code || ' ' || name as label from police_stations
      where county_code = ${c} and war_zone_id is null order by code`.execute(db);
    if (unzoned.rows.length > 0) {
      problems.holidays.push(
        `${unzoned.rows.length} 个派出所不属于任何战区（stations in no war zone）：${listed(unzoned.rows.map((r) => r.label))}`,
      );
    }
  }

  if (counts.warZones > 0) {
    const empty = await sql<{ label: string }>`
      select w.name as label from war_zones w
      where w.county_code = ${c} and not exists (select 1 from police_stations p where p.war_zone_id = w.id)
      order by w.id`.execute(db);
    if (empty.rows.length > 0) {
      problems.holidays.push(
        `${empty.rows.length} 个战区没有派出所（war zones without a station）：${listed(empty.rows.map((r) => r.label))}`,
      );
    }
  }
  if (counts.officers > 0) {
    const pool = (
      await sql<{ homeless: number; traffic: number }>`
        select count(*) filter (where home_station_code is null)::int as homeless,
          count(*) filter (where 'traffic' = any(qualifications))::int as traffic
        from officers where county_code = ${c}`.execute(db)
    ).rows[0]!;
    // Without a home station an officer sets out from the station nearest by road: none without roads.
    if (pool.homeless > 0 && counts.roads === 0) {
      problems.holidays.push(
        `${pool.homeless} 名机关警力没有出发派出所，且没有道路可找最近的派出所（officers without a home station, and no roads to find the nearest one）`,
      );
    }
    if (pool.traffic === 0) {
      problems.holidays.push(
        '没有可承担交通秩序管理的机关警力（no officer is qualified for traffic control: give 警种 交警 or 资质 交通）',
      );
    }
  }

  return {
    county,
    layers,
    capabilities: CAPABILITIES.map((capability) => ({
      capability,
      ready: problems[capability].length === 0,
      needs: CAPABILITY_NEEDS[capability],
      problems: problems[capability],
    })),
  };
}
