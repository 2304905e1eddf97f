/** Public surface of the grid units: households grouped along roads, their road links and their polygons. */
export {
  buildUnits,
  cutSizes,
  DEFAULT_UNIT_OPTIONS,
  type BuiltUnit,
  type BuiltUnits,
  type UnitHousehold,
  type UnitOptions,
  type UnitVillage,
} from './build-units.js';
export { connectedParts, linkUnits, type UnitLinks } from './unit-graph.js';
export { checkUnitTiling, unitPolygons, type HouseholdUnit, type UnitPolygon, type VillageTiling } from './polygons.js';
export {
  loadTownshipUnits,
  type TownshipUnit,
  type TownshipUnits,
  type TownshipVillage,
  type UnitPolygonProperties,
} from './repository.js';
