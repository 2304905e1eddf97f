import type { CountySummary } from '../../../../contracts/county.js';
import { apiFetch, csrfToken, errorOf } from '../../api.js';
import { currentData, type ResourceLayer } from '../../frame/resource.js';
import { boundsOf } from '../../map/bounds.js';
import type { MapView } from '../../map/map-view.js';
import type { Action, AppState, ImportReport as FrameImportReport, Store } from '../../state.js';
import { CSRF_HEADER } from '../../../../contracts/auth-names.js';
import { PREVIEW_LAYERS, PREVIEW_SOURCE, previewFeatures } from './map-layers.js';
import {
  defaultCounty,
  importQuery,
  onboardingData,
  previewWanted,
  type CommitReport,
  type OnboardingState,
  type Preview,
  type RoadClasses,
} from './state.js';
import { uploadBody, type ChosenFile, type UploadBody } from './upload.js';

/** What the onboarding page can ask for. */
export interface OnboardingCommands {
  createCounty(input: { code: string; name: string; outline: File | null; outlineCrs: string }): void;
  chooseFiles(files: readonly File[]): void;
  commit(): void;
  saveRoadClasses(): void;
}

/**
 * The onboarding page behind its panel: lists the counties, creates one, previews and imports the
 * chosen files of a layer, edits the road class mapping, reads the readiness, and draws the
 * preview's features on the map while the page is open.
 */
export class OnboardingController implements OnboardingCommands {
  /** The chosen files themselves (the state keeps their names). */
  private files: ChosenFile[] = [];

  constructor(
    private readonly store: Store,
    private readonly mapView: MapView,
    private readonly resources: ResourceLayer<AppState, Action>,
  ) {
    store.subscribe((state, previous) => this.changed(state, previous));
    this.changed(store.current, null);
  }

  private get state(): OnboardingState {
    return this.store.current.onboarding;
  }

  private changed(state: AppState, previous: AppState | null): void {
    const onboarding = state.onboarding;
    const active = state.workspace === 'onboarding';
    if (active) {
      // No county chosen yet: the first of the list that is not the demo.
      const counties = currentData(onboardingData.counties.of(state));
      const first = onboarding.county === null && counties ? defaultCounty(counties.counties) : null;
      if (first) this.dispatch({ type: 'onboarding/selectCounty', county: first });
      if (previewWanted(onboarding)) void this.preview();
    }
    if (!previous || previous.onboarding.preview !== onboarding.preview || previous.workspace !== state.workspace) {
      const features = active ? previewFeatures(onboarding) : null;
      this.mapView.setGeoJson(PREVIEW_SOURCE, features, PREVIEW_LAYERS, 10);
      const bounds = features
        ? boundsOf({
            coordinates: features.features.map((f) => (f.geometry as { coordinates?: unknown } | null)?.coordinates),
          })
        : null;
      if (bounds && previous?.onboarding.preview !== onboarding.preview) this.mapView.fitBounds(bounds);
    }
  }

  private dispatch = (action: Parameters<Store['dispatch']>[0]) => this.store.dispatch(action);

  createCounty(input: { code: string; name: string; outline: File | null; outlineCrs: string }): void {
    void (async () => {
      this.dispatch({ type: 'onboarding/create', create: { kind: 'sending' } });
      try {
        let outline: unknown;
        if (input.outline) {
          try {
            outline = JSON.parse(await input.outline.text()) as unknown;
          } catch {
            throw new Error('县界文件须为 GeoJSON（the outline file must be GeoJSON）');
          }
        }
        // The list of counties is asked for again once the county is made.
        const created = await this.resources.write<CountySummary>(
          '/api/counties',
          {
            method: 'POST',
            json: {
              code: input.code.trim(),
              name: input.name.trim(),
              ...(outline !== undefined ? { outline, crs: input.outlineCrs || 'wgs84' } : {}),
            },
          },
          ['/api/counties'],
        );
        this.dispatch({ type: 'onboarding/create', create: { kind: 'created', code: created.code } });
      } catch (err) {
        this.dispatch({ type: 'onboarding/create', create: { kind: 'error', message: (err as Error).message } });
      }
    })();
  }

  chooseFiles(files: readonly File[]): void {
    void (async () => {
      this.files = await Promise.all(
        files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
      );
      this.dispatch({ type: 'onboarding/chooseFiles', files: this.files.map((f) => f.name) });
    })();
  }

  /** The body of the chosen files under the state's options; an error answer when they are not one layer. */
  private body(): UploadBody {
    return uploadBody(this.files, this.state.layer === 'terrain' ? '' : this.state.options.encoding);
  }

  private async preview(): Promise<void> {
    const { version } = this.state;
    const put = (preview: Parameters<Store['dispatch']>[0] & { type: 'onboarding/preview' }) => this.dispatch(preview);
    put({ type: 'onboarding/preview', version, preview: { kind: 'loading' } });
    try {
      const body = this.body();
      const response = await apiFetch(
        `/api/imports/preview?${importQuery(this.state, body.fileName, false).toString()}`,
        {
          method: 'POST',
          headers: { 'content-type': body.contentType },
          body: body.bytes as BodyInit,
        },
      );
      const answer = (await response.json().catch(() => null)) as unknown;
      if (!response.ok) throw errorOf(response.status, answer);
      put({ type: 'onboarding/preview', version, preview: { kind: 'ready', data: answer as Preview } });
    } catch (err) {
      put({ type: 'onboarding/preview', version, preview: { kind: 'error', message: (err as Error).message } });
    }
  }

  commit(): void {
    let body: UploadBody;
    try {
      body = this.body();
    } catch (err) {
      this.dispatch({
        type: 'onboarding/commit',
        commit: { kind: 'rejected', message: (err as Error).message, report: null },
      });
      return;
    }
    const url = `/api/imports?${importQuery(this.state, body.fileName, true).toString()}`;
    this.dispatch({ type: 'onboarding/commit', commit: { kind: 'sending', percent: 0 } });
    // XMLHttpRequest: the only browser request that reports how much of the body is sent.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', body.contentType);
    const token = csrfToken();
    if (token) xhr.setRequestHeader(CSRF_HEADER, token);
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      const percent = event.loaded >= event.total ? null : Math.round((100 * event.loaded) / event.total);
      this.dispatch({ type: 'onboarding/commit', commit: { kind: 'sending', percent } });
    };
    xhr.upload.onload = () => this.dispatch({ type: 'onboarding/commit', commit: { kind: 'sending', percent: null } });
    xhr.onerror = () =>
      this.dispatch({
        type: 'onboarding/commit',
        commit: { kind: 'rejected', message: '网络错误（network error）', report: null },
      });
    xhr.onload = () => {
      const answer = ((): unknown => {
        try {
          return JSON.parse(xhr.responseText) as unknown;
        } catch {
          return null;
        }
      })();
      if (xhr.status >= 200 && xhr.status < 300) {
        const report = answer as CommitReport;
        this.dispatch({ type: 'onboarding/commit', commit: { kind: 'accepted', report } });
        // The frame redraws the map and every workspace starts again from the new data.
        this.dispatch({ type: 'importChanged', state: { kind: 'accepted', report: frameReport(report) } });
        return;
      }
      const error = errorOf(xhr.status, answer);
      const details = error.details as Partial<CommitReport> | null;
      this.dispatch({
        type: 'onboarding/commit',
        commit: {
          kind: 'rejected',
          message: error.message,
          report: details && Array.isArray(details.problems) ? (details as CommitReport) : null,
        },
      });
    };
    xhr.send(body.bytes as XMLHttpRequestBodyInit);
  }

  saveRoadClasses(): void {
    const { county, roadClassDraft } = this.state;
    if (!county || !roadClassDraft) return;
    void (async () => {
      this.dispatch({ type: 'onboarding/roadClassSave', save: { kind: 'saving' } });
      try {
        // Re-costed roads: the mapping and the readiness are asked for again.
        const saved = await this.resources.write<RoadClasses>(
          `/api/counties/${county}/road-classes`,
          { method: 'PUT', json: { mapping: roadClassDraft } },
          [`/api/counties/${county}/`],
        );
        this.dispatch({ type: 'onboarding/roadClassSave', save: { kind: 'saved', edges: saved.edgesChanged ?? 0 } });
      } catch (err) {
        this.dispatch({ type: 'onboarding/roadClassSave', save: { kind: 'error', message: (err as Error).message } });
      }
    })();
  }
}

/** The frame's import report of an accepted import (a DEM counts as one feature). */
function frameReport(report: CommitReport): FrameImportReport {
  if ('counts' in report)
    return { accepted: true, layer: report.layer, counts: report.counts, problems: report.problems };
  return {
    accepted: true,
    layer: 'terrain',
    counts: { features: 1, imported: 1, repaired: 0, rejected: 0 },
    problems: report.problems,
  };
}
