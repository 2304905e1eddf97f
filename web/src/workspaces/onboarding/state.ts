import type { CountyList, CountySummary, Readiness } from '../../../../contracts/county.js';
import type { ImportPreview, ImportReport } from '../../../../contracts/imports.js';
import { resource, type Resource, type ResourceTable } from '../../frame/resource.js';

/** The layers a county's files are imported into, in the order the offices usually hand them over. */
export const ONBOARDING_LAYERS = [
  'townships',
  'villages',
  'roads',
  'households',
  'stations',
  'bus_stops',
  'war_zones',
  'officers',
  'events',
  'terrain',
] as const;
export type OnboardingLayer = (typeof ONBOARDING_LAYERS)[number];

/** The coordinate systems offered by name (any other EPSG code can be typed). */
export const CRS_OPTIONS = ['wgs84', 'cgcs2000', 'gcj02', 'bd09', 'EPSG:4549'] as const;
/** Text encodings the user may force (a Shapefile's .cpg is written, a CSV is re-encoded). */
export const ENCODING_OPTIONS = ['utf-8', 'gbk'] as const;
export type EncodingChoice = '' | (typeof ENCODING_OPTIONS)[number];

/** Something fetched from the server. */
export type Remote<T> =
  { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; data: T } | { kind: 'error'; message: string };

/** What `POST /api/imports/preview?layer=terrain` answers (server/county/import/dem-schema.ts). */
export interface DemPreview {
  layer: 'terrain';
  source: {
    format: string;
    fileName: string;
    width: number;
    height: number;
    crs: string | null;
    crsSource: string | null;
    resolutionMetres: number | null;
    bounds: [number, number, number, number] | null;
    minMetres: number | null;
    maxMetres: number | null;
    voids: number;
  } | null;
  problems: ImportReport['problems'];
}

/** What a DEM import answers (only what the page shows). */
export interface DemReport {
  accepted: boolean;
  layer: 'terrain';
  grid: { width: number; height: number; cellMetres: number } | null;
  roads: { edges: number; climbMetres: number; descentMetres: number } | null;
  problems: ImportReport['problems'];
}

export type Preview = ImportPreview | DemPreview;
export type CommitReport = ImportReport | DemReport;

/** A county's road class mapping (GET /api/counties/:code/road-classes). */
export interface RoadClassMapping {
  administrative: Record<string, { roadClass: string; grade: string }>;
  technical: Record<string, { roadClass: string; designSpeedKmh: number }>;
}
export interface RoadClasses {
  county: string;
  own: boolean;
  mapping: RoadClassMapping;
  edgesChanged?: number;
}

/** How the chosen files are read: each choice made here overrides what the server detected. */
export interface ImportOptions {
  /** '' = as the file says (or the server detects). */
  crs: string;
  encoding: EncodingChoice;
  /** Unrecognised column → the layer's field it feeds. */
  fields: Readonly<Record<string, string>>;
  mode: 'append' | 'replace';
}

export type CreateState =
  { kind: 'idle' } | { kind: 'sending' } | { kind: 'created'; code: string } | { kind: 'error'; message: string };

export type CommitState =
  | { kind: 'idle' }
  /** Sending the file (percent of its bytes sent; null once sent: the server checks and writes). */
  | { kind: 'sending'; percent: number | null }
  | { kind: 'accepted'; report: CommitReport }
  | { kind: 'rejected'; message: string; report: CommitReport | null };

/** The server data of the page, through the resource layer (keyed by the URLs `onboardingResources` wants). */
export const onboardingData = {
  counties: resource<CountyList>('onboarding/counties'),
  readiness: resource<Readiness>('onboarding/readiness'),
  roadClasses: resource<RoadClasses>('onboarding/roadClasses'),
};

export interface OnboardingState {
  /** The county being onboarded (null until the list names one). */
  county: string | null;
  create: CreateState;
  layer: OnboardingLayer;
  /** Names of the chosen files (the files themselves stay with the controller). */
  files: readonly string[];
  options: ImportOptions;
  /** Counts the changes of file or options: an answer to an older request is dropped. */
  version: number;
  preview: Remote<Preview>;
  commit: CommitState;
  /** The road class mapping as edited, before it is saved (null: unchanged). */
  roadClassDraft: RoadClassMapping | null;
  roadClassSave:
    { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; edges: number } | { kind: 'error'; message: string };
}

export type OnboardingAction =
  | { type: 'onboarding/selectCounty'; county: string }
  | { type: 'onboarding/create'; create: CreateState }
  | { type: 'onboarding/chooseLayer'; layer: OnboardingLayer }
  | { type: 'onboarding/chooseFiles'; files: readonly string[] }
  | { type: 'onboarding/setOptions'; options: Partial<Omit<ImportOptions, 'fields'>> }
  | { type: 'onboarding/mapField'; column: string; field: string | null }
  | { type: 'onboarding/preview'; version: number; preview: Remote<Preview> }
  | { type: 'onboarding/commit'; commit: CommitState }
  | {
      type: 'onboarding/editRoadClass';
      /** The mapping the edit starts from when there is no draft yet (the county's, as read). */
      saved: RoadClassMapping;
      table: 'administrative' | 'technical';
      key: string;
      change: Record<string, string | number>;
    }
  | { type: 'onboarding/roadClassSave'; save: OnboardingState['roadClassSave'] };

const NO_OPTIONS: ImportOptions = { crs: '', encoding: '', fields: {}, mode: 'append' };

export function initialOnboardingState(): OnboardingState {
  return {
    county: null,
    create: { kind: 'idle' },
    layer: 'townships',
    files: [],
    options: NO_OPTIONS,
    version: 0,
    preview: { kind: 'idle' },
    commit: { kind: 'idle' },
    roadClassDraft: null,
    roadClassSave: { kind: 'idle' },
  };
}

/** The file choice and everything read from it, cleared (another layer or county). */
function clearFile(state: OnboardingState): OnboardingState {
  return {
    ...state,
    files: [],
    options: NO_OPTIONS,
    version: state.version + 1,
    preview: { kind: 'idle' },
    commit: { kind: 'idle' },
  };
}

/** The onboarding page's reducer: pure, the same object when nothing changed. */
export function updateOnboarding(state: OnboardingState, action: OnboardingAction): OnboardingState {
  switch (action.type) {
    case 'onboarding/selectCounty':
      return state.county === action.county ? state : selectCounty(state, action.county);
    case 'onboarding/create': {
      const next = { ...state, create: action.create };
      // A new county: onboard it (the resource layer lists the counties again).
      return action.create.kind === 'created' ? selectCounty(next, action.create.code) : next;
    }
    case 'onboarding/chooseLayer':
      return state.layer === action.layer ? state : { ...clearFile(state), layer: action.layer };
    case 'onboarding/chooseFiles':
      return { ...clearFile(state), files: action.files };
    case 'onboarding/setOptions': {
      const options = { ...state.options, ...action.options };
      if (Object.entries(action.options).every(([k, v]) => state.options[k as keyof ImportOptions] === v)) return state;
      // The mode does not change what the file holds: no new preview.
      const reread = action.options.crs !== undefined || action.options.encoding !== undefined;
      return reread ? rereadFile(state, options) : { ...state, options };
    }
    case 'onboarding/mapField': {
      const fields: Record<string, string> = { ...state.options.fields };
      if (action.field === null || action.field === '') delete fields[action.column];
      else fields[action.column] = action.field;
      return rereadFile(state, { ...state.options, fields });
    }
    case 'onboarding/preview':
      return action.version === state.version ? { ...state, preview: action.preview } : state;
    case 'onboarding/commit':
      // An accepted import has the frame ask for every resource again (readiness, counts).
      return { ...state, commit: action.commit };
    case 'onboarding/editRoadClass': {
      const base = state.roadClassDraft ?? action.saved;
      const row = base[action.table][action.key];
      if (!row) return state;
      const draft: RoadClassMapping = {
        ...base,
        [action.table]: { ...base[action.table], [action.key]: { ...row, ...action.change } },
      };
      return { ...state, roadClassDraft: draft, roadClassSave: { kind: 'idle' } };
    }
    case 'onboarding/roadClassSave': {
      // Saved: the draft is the county's mapping now (read again by the resource layer).
      return {
        ...state,
        roadClassSave: action.save,
        ...(action.save.kind === 'saved' ? { roadClassDraft: null } : {}),
      };
    }
    default:
      return state;
  }
}

function selectCounty(state: OnboardingState, county: string): OnboardingState {
  return {
    ...clearFile(state),
    county,
    roadClassDraft: null,
    roadClassSave: { kind: 'idle' },
  };
}

/** New options for the same files: read them again (an older answer is dropped). */
function rereadFile(state: OnboardingState, options: ImportOptions): OnboardingState {
  return {
    ...state,
    options,
    version: state.version + 1,
    preview: { kind: 'idle' },
    commit: { kind: 'idle' },
  };
}

/** The county to onboard when none is chosen: the first that is not the generated demo, else the first. */
export function defaultCounty(counties: readonly CountySummary[]): string | null {
  return (counties.find((c) => !c.synthetic) ?? counties[0])?.code ?? null;
}

/** The URL each of the page's resources wants now: the counties, and the chosen county's readiness and road classes. */
export function onboardingResources(state: OnboardingState): Readonly<Record<string, string | null>> {
  const county = state.county;
  return {
    [onboardingData.counties.name]: '/api/counties',
    [onboardingData.readiness.name]: county ? `/api/counties/${county}/readiness` : null,
    [onboardingData.roadClasses.name]:
      county && state.layer === 'roads' ? `/api/counties/${county}/road-classes` : null,
  };
}

/** The page's state beside its resources' states. */
export interface OnboardingView extends OnboardingState {
  counties: Resource<CountyList>;
  readiness: Resource<Readiness>;
  roadClasses: Resource<RoadClasses>;
}

/** The page's state with its resources read from the app's. */
export function onboardingView(state: OnboardingState, app: { resources: ResourceTable }): OnboardingView {
  return {
    ...state,
    counties: onboardingData.counties.of(app),
    readiness: onboardingData.readiness.of(app),
    roadClasses: onboardingData.roadClasses.of(app),
  };
}

/** Whether the preview must be asked for: files chosen, a county, and no answer for these options yet. */
export function previewWanted(state: OnboardingState): boolean {
  return state.county !== null && state.files.length > 0 && state.preview.kind === 'idle';
}

/** The `fields` query parameter of a mapping: `列名:field,…` (null when nothing is mapped). */
export function fieldsParameter(fields: Readonly<Record<string, string>>): string | null {
  const pairs = Object.entries(fields).map(([column, field]) => `${column}:${field}`);
  return pairs.length > 0 ? pairs.join(',') : null;
}

/** The query of a preview or an import of the state's files. */
export function importQuery(state: OnboardingState, fileName: string, commit: boolean): URLSearchParams {
  const query = new URLSearchParams({ layer: state.layer, fileName });
  if (state.county) query.set('county', state.county);
  if (state.options.crs) query.set('crs', state.options.crs);
  const fields = state.layer === 'terrain' ? null : fieldsParameter(state.options.fields);
  if (fields) query.set('fields', fields);
  if (commit && state.layer !== 'terrain') query.set('mode', state.options.mode);
  return query;
}

/** A problem's value: the feature's cell of the problem's field, when the preview shows that feature. */
export function problemValue(preview: Preview | null, problem: { index: number; field?: string }): string | null {
  if (!preview || preview.layer === 'terrain' || problem.index < 0 || problem.field === undefined) return null;
  const feature = preview.sample.features.find((f) => f.id === problem.index);
  if (!feature) return null;
  const column = preview.fieldMapping.fields.find((f) => f.field === problem.field)?.column ?? problem.field;
  const value = feature.properties[column];
  return value === undefined || value === null
    ? null
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}
