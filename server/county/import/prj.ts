/**
 * Which EPSG system a Shapefile's .prj (or a GeoPackage's definition) means, and which system
 * coordinates that do not fit the county were probably in. Chinese survey data comes in a small
 * family of Gauss–Krüger systems (CGCS2000, Xian 1980, Beijing 1954; 3- or 6-degree zones; with
 * or without the zone number in front of the easting), so both are answered from a table of
 * those, without a database; anything else is matched by the WKT's own EPSG authority.
 */
import { type Crs, epsgCrs } from './crs.js';

export type Datum = 'cgcs2000' | 'xian1980' | 'beijing1954';

/** One Gauss–Krüger zone as EPSG defines it. */
export interface GaussKrugerZone {
  epsg: number;
  datum: Datum;
  /** Zone width in degrees: 3 or 6. */
  width: 3 | 6;
  centralMeridian: number;
  /** 500 000, or the zone number × 1 000 000 + 500 000 when the zone number is in front. */
  falseEasting: number;
  name: string;
}

const DATUM_NAMES: Record<Datum, string> = {
  cgcs2000: 'CGCS2000',
  xian1980: 'Xian 1980',
  beijing1954: 'Beijing 1954',
};

// Each family: the first EPSG code, then one code per zone in order (checked against PostGIS's
// spatial_ref_sys: e.g. 4513 = CGCS2000 zone 25, 4534 = CGCS2000 CM 75E, 2437 = Beijing 1954 CM 120E).
const FAMILIES: { datum: Datum; width: 3 | 6; prefixed: boolean; first: number }[] = [
  { datum: 'cgcs2000', width: 6, prefixed: true, first: 4491 },
  { datum: 'cgcs2000', width: 6, prefixed: false, first: 4502 },
  { datum: 'cgcs2000', width: 3, prefixed: true, first: 4513 },
  { datum: 'cgcs2000', width: 3, prefixed: false, first: 4534 },
  { datum: 'xian1980', width: 6, prefixed: true, first: 2327 },
  { datum: 'xian1980', width: 6, prefixed: false, first: 2338 },
  { datum: 'xian1980', width: 3, prefixed: true, first: 2349 },
  { datum: 'xian1980', width: 3, prefixed: false, first: 2370 },
  { datum: 'beijing1954', width: 3, prefixed: true, first: 2401 },
  { datum: 'beijing1954', width: 3, prefixed: false, first: 2422 },
];

/** China's Gauss–Krüger zones: 6-degree zones 13–23 (CM 75°–135°E), 3-degree zones 25–45. */
export const GAUSS_KRUGER_ZONES: readonly GaussKrugerZone[] = FAMILIES.flatMap(({ datum, width, prefixed, first }) => {
  const zones = width === 6 ? [13, 23] : [25, 45];
  const out: GaussKrugerZone[] = [];
  for (let zone = zones[0]!; zone <= zones[1]!; zone++) {
    const centralMeridian = width === 6 ? zone * 6 - 3 : zone * 3;
    const kind = width === 3 ? '3-degree Gauss-Kruger' : 'Gauss-Kruger';
    out.push({
      epsg: first + zone - zones[0]!,
      datum,
      width,
      centralMeridian,
      falseEasting: prefixed ? zone * 1_000_000 + 500_000 : 500_000,
      name: `${DATUM_NAMES[datum]} / ${kind} ${prefixed ? `zone ${zone}` : `CM ${centralMeridian}E`}`,
    });
  }
  return out;
});

/** The zone of a datum with this central meridian and false easting (3-degree first), if any. */
export function findGaussKrugerZone(
  datum: Datum,
  centralMeridian: number,
  falseEasting: number,
): GaussKrugerZone | null {
  const candidates = GAUSS_KRUGER_ZONES.filter(
    (z) =>
      z.datum === datum &&
      Math.abs(z.centralMeridian - centralMeridian) < 1e-6 &&
      Math.abs(z.falseEasting - falseEasting) < 1e-3,
  );
  return candidates.find((z) => z.width === 3) ?? candidates[0] ?? null;
}

/** A zone's name by EPSG code, for messages; undefined when it is not one of China's GK zones. */
export function gaussKrugerName(epsg: number): string | undefined {
  return GAUSS_KRUGER_ZONES.find((z) => z.epsg === epsg)?.name;
}

/** What a .prj said and how it was understood. */
export interface PrjMatch {
  crs: Crs;
  /** How it was found, for the preview: "AUTHORITY in the .prj", "name", "parameters". */
  how: string;
}

function datumOf(wkt: string): Datum | null {
  const text = wkt.toUpperCase().replace(/[\s_-]/g, '');
  // The datum's own name decides (a renamed projection may still say CGCS2000 in its title).
  const datum = /DATUM\[\s*"([^"]*)"/.exec(text)?.[1] ?? text;
  for (const candidate of [datum, text]) {
    if (/XIAN1980|XIAN80/.test(candidate)) return 'xian1980';
    if (/BEIJING1954|BEIJING54/.test(candidate)) return 'beijing1954';
    if (/CGCS2000|CHINA2000|CHINAGEODETICCOORDINATESYSTEM2000/.test(candidate)) return 'cgcs2000';
  }
  return null;
}

function parameter(wkt: string, name: string): number | null {
  const match = new RegExp(`PARAMETER\\[\\s*"${name}"\\s*,\\s*([-+0-9.eE]+)`, 'i').exec(wkt);
  return match ? Number(match[1]) : null;
}

/**
 * The EPSG system a WKT (a .prj, ESRI or OGC flavour) describes, or null when it cannot be told.
 * In order: the top-level AUTHORITY["EPSG", n]; for Chinese Gauss–Krüger systems the datum,
 * central meridian and false easting (ESRI .prj files carry no authority); for geographic
 * systems the datum; Web Mercator by name.
 */
export function matchPrj(wkt: string): PrjMatch | null {
  const text = wkt.trim();
  if (text === '') return null;
  // The last AUTHORITY of the outermost object belongs to it (inner ones name datum, units …).
  const outer = /AUTHORITY\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(text);
  if (outer) return { crs: epsgCrs(Number(outer[1])), how: 'the EPSG authority in the .prj' };
  const id = /ID\[\s*"EPSG"\s*,\s*(\d+)\s*\]\s*\]\s*$/i.exec(text);
  if (id) return { crs: epsgCrs(Number(id[1])), how: 'the EPSG id in the .prj' };
  const projected = /^(PROJCS|PROJCRS)\[/i.test(text);
  const datum = datumOf(text);
  if (projected) {
    if (/Mercator_Auxiliary_Sphere|Pseudo[-_ ]Mercator|Web[-_ ]Mercator/i.test(text)) {
      return { crs: 'EPSG:3857', how: 'the projection name in the .prj (Web Mercator)' };
    }
    const centralMeridian = parameter(text, 'central_meridian') ?? parameter(text, 'Longitude of natural origin');
    const falseEasting = parameter(text, 'false_easting') ?? parameter(text, 'False easting');
    const transverse = /Transverse[_ ]Mercator|Gauss[_ ]Kruger/i.test(text);
    if (datum && transverse && centralMeridian !== null && falseEasting !== null) {
      const zone = findGaussKrugerZone(datum, centralMeridian, falseEasting);
      if (zone) {
        return {
          crs: epsgCrs(zone.epsg),
          how: `the .prj's datum, central meridian ${centralMeridian}° and false easting ${falseEasting} (${zone.name})`,
        };
      }
    }
    return null;
  }
  if (/^(GEOGCS|GEOGCRS|GEODCRS)\[/i.test(text)) {
    if (datum === 'cgcs2000') return { crs: 'cgcs2000', how: 'the datum in the .prj (CGCS2000)' };
    if (datum === 'xian1980') return { crs: 'EPSG:4610', how: 'the datum in the .prj (Xian 1980)' };
    if (datum === 'beijing1954') return { crs: 'EPSG:4214', how: 'the datum in the .prj (Beijing 1954)' };
    if (/WGS[_ ]?(19)?84/i.test(text)) return { crs: 'wgs84', how: 'the datum in the .prj (WGS 84)' };
  }
  return null;
}

/** A place, in degrees, for the guesses: the county's centre. */
export interface CountyCentre {
  lon: number;
  lat: number;
}

const GCJ_BD_NOTE =
  'GCJ-02 and BD-09 differ from WGS84 by only a few hundred metres, too little to tell from the coordinates: check which map the points were copied from (AMap/Tencent: gcj02, Baidu: bd09)';

/**
 * Why coordinates read in `crs` land far from the county, and which system they are probably in,
 * from their shape alone (a typical x, y of the file: its median): 8-digit eastings starting with
 * the zone number → the zone-numbered Gauss–Krüger system; 6-digit eastings with 7-digit northings
 * → the county's Gauss–Krüger zone by central meridian; latitude and longitude swapped. CGCS2000
 * is assumed for Gauss–Krüger (Xian 1980 / Beijing 1954 coordinates differ by up to ~100 m and
 * cannot be told apart from it). Returns English text ending in a suggestion.
 */
export function guessCrs(x: number, y: number, county: CountyCentre): string {
  const zone3 = Math.round(county.lon / 3);
  const cmZone = findGaussKrugerZone('cgcs2000', zone3 * 3, 500_000);
  const prefixedZone = Math.floor(x / 1_000_000);
  if (x >= 1e7 && x < 1e8 && y > 1e5 && y < 1e7) {
    const zone = findGaussKrugerZone('cgcs2000', prefixedZone * 3, prefixedZone * 1_000_000 + 500_000);
    const six = findGaussKrugerZone('cgcs2000', prefixedZone * 6 - 3, prefixedZone * 1_000_000 + 500_000);
    if (zone && prefixedZone === zone3) {
      return `eastings of 8 digits starting with ${prefixedZone} are Gauss–Krüger metres with the zone number in front: probably EPSG:${zone.epsg} (${zone.name})`;
    }
    if (six && Math.abs(six.centralMeridian - county.lon) <= 3) {
      return `eastings of 8 digits starting with ${prefixedZone} are Gauss–Krüger metres of 6-degree zone ${prefixedZone}: probably EPSG:${six.epsg} (${six.name})`;
    }
    return `eastings of 8 digits starting with ${prefixedZone} look like Gauss–Krüger metres of zone ${prefixedZone}, but the county lies in 3-degree zone ${zone3}: check the file's coordinate system`;
  }
  if (x >= 1e5 && x < 1e6 && y >= 1e6 && y < 1e7 && cmZone) {
    return `eastings of 6 digits and northings of 7 are Gauss–Krüger metres without the zone number: probably EPSG:${cmZone.epsg} (${cmZone.name}, the county's central meridian)`;
  }
  if (Math.abs(y - county.lon) < 2 && Math.abs(x - county.lat) < 2) {
    return `the coordinates look like latitude, longitude in the wrong order (${x}, ${y}): swap the columns, or give longitude first`;
  }
  if (Math.abs(x) <= 180 && Math.abs(y) <= 90) {
    return `the coordinates are degrees but far from the county (${x}, ${y}): check that the file is of this county. ${GCJ_BD_NOTE}`;
  }
  if (Math.abs(x) <= 20_037_509 && Math.abs(y) <= 20_037_509 && Math.abs(x / 111_320 - county.lon) < 3) {
    return 'the coordinates look like Web Mercator metres: probably EPSG:3857';
  }
  return `the coordinates (${x}, ${y}) do not fit any system we know for this county: check the file's coordinate system`;
}

export { GCJ_BD_NOTE };
