import type { CountyList, CountySummary } from '../../../contracts/county.js';
import { resource, type ResourceState } from './resource.js';

/** The loaded counties (GET /api/counties), asked for by the frame whoever is logged in. */
export const counties = resource<CountyList>('frame/counties');

/** Where the chosen county is kept between visits. */
export const COUNTY_KEY = 'shanwang.county';

/** The counties to choose from: more than one loaded, else none (nothing to choose). */
export function countyChoices(state: ResourceState): readonly CountySummary[] {
  const list = counties.of(state).data?.counties ?? [];
  return list.length > 1 ? list : [];
}

/**
 * The county kept from an earlier visit, if it is still loaded: null (the server's first county)
 * when it is not, or before the list is there.
 */
export function keptCountyIsGone(state: ResourceState): boolean {
  const list = counties.of(state).data?.counties;
  return state.countyCode !== null && list !== undefined && !list.some((county) => county.code === state.countyCode);
}

/** The county a workspace's data is about: the chosen one, else the first loaded. */
export function shownCounty(state: ResourceState): CountySummary | null {
  const list = counties.of(state).data?.counties ?? [];
  return list.find((county) => county.code === state.countyCode) ?? list[0] ?? null;
}
