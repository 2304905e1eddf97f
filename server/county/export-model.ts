import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { observedTripsCsv } from './generate/observed-trips.js';
import type { CountyModel, LonLat } from './model.js';

const point = (p: LonLat): Geometry => ({ type: 'Point', coordinates: p });

function featureCollection<T>(
  items: readonly T[],
  geometry: (item: T) => Geometry,
  properties: (item: T) => object,
): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: items.map((item): Feature => ({
      type: 'Feature',
      geometry: geometry(item),
      properties: { ...properties(item) },
    })),
  };
}

/** The model's vector layers as GeoJSON FeatureCollections, keyed by file name. */
export function modelLayers(model: CountyModel): Record<string, FeatureCollection> {
  return {
    'townships.geojson': featureCollection(
      model.townships,
      (t) => t.geometry,
      ({ geometry: _g, seat: _s, ...rest }) => rest,
    ),
    'villages.geojson': featureCollection(
      model.villages,
      (v) => v.geometry,
      ({ geometry: _g, centre: _c, ...rest }) => rest,
    ),
    'roads.geojson': featureCollection(
      model.roadEdges,
      (e) => ({ type: 'LineString', coordinates: e.coordinates }),
      ({ coordinates: _c, ...rest }) => rest,
    ),
    'rivers.geojson': featureCollection(
      model.rivers,
      (r) => ({ type: 'LineString', coordinates: r.coordinates }),
      ({ coordinates: _c, ...rest }) => rest,
    ),
    'stations.geojson': featureCollection(
      model.stations,
      (s) => point(s.point),
      ({ point: _p, ...rest }) => rest,
    ),
    'bus-stops.geojson': featureCollection(
      model.busStops,
      (s) => point(s.point),
      ({ point: _p, ...rest }) => rest,
    ),
    'bus-lines.geojson': featureCollection(
      model.busLines,
      (l) => ({ type: 'MultiLineString', coordinates: l.coordinates }),
      ({ coordinates: _c, ...rest }) => rest,
    ),
  };
}

/** How many of each thing the model has (written in its summary). */
export function modelCounts(model: CountyModel): Record<string, number> {
  return {
    townships: model.townships.length,
    villages: model.villages.length,
    households: model.households.length,
    roadEdges: model.roadEdges.length,
    rivers: model.rivers.length,
    stations: model.stations.length,
    busStops: model.busStops.length,
    events: model.events.length,
    officers: model.officers.length,
  };
}

/** A SHA-256 of the whole model, to check that one seed always gives the same county. */
export function modelHash(model: CountyModel): string {
  const hash = createHash('sha256');
  const { terrain, ...rest } = model;
  hash.update(JSON.stringify(rest));
  if (terrain) {
    hash.update(JSON.stringify(terrain.spec));
    const elevation = terrain.elevationMetres;
    // A view's own bytes only: a copied model's arrays may sit in a larger buffer.
    hash.update(new Uint8Array(elevation.buffer, elevation.byteOffset, elevation.byteLength));
    hash.update(terrain.hillshade);
  }
  return hash.digest('hex');
}

/** Write the model's vector layers and a summary (counts and hash) into a folder. */
export function writeModel(model: CountyModel, dir: string): { files: string[]; hash: string } {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, collection] of Object.entries(modelLayers(model))) {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(collection));
    files.push(name);
  }
  if (model.observedTrips) {
    // The trips as an officer would hand them over, for calibration (the demo's come from a hidden true model).
    fs.writeFileSync(
      path.join(dir, 'observed-trips.csv'),
      observedTripsCsv({ ...model, observedTrips: model.observedTrips }),
    );
    files.push('observed-trips.csv');
  }
  const hash = modelHash(model);
  const summary = {
    county: {
      code: model.county.code,
      name: model.county.name,
      synthetic: model.county.synthetic,
      seed: model.county.seed,
    },
    counts: modelCounts(model),
    hash,
  };
  fs.writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  files.push('summary.json');
  return { files, hash };
}
