/**
 * A .prj in the ESRI flavour of WKT, from the OGC WKT PostGIS keeps in spatial_ref_sys.srtext:
 * ArcGIS writes (and best reads) .prj files without AUTHORITY, AXIS or TOWGS84 nodes, with "D_"
 * before a datum's name, "GCS_" before a geographic system's, underscores for spaces and
 * "Meter"/"Degree" units. Parameter names of OGC WKT1 (central_meridian, false_easting…) are
 * already ESRI's.
 */

/** Names as ESRI spells them: runs of anything but letters, digits and underscores become one underscore. */
function esriName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
}

/** The ESRI WKT of an OGC WKT1 definition (PostGIS srtext). */
export function esriWkt(ogcWkt: string): string {
  let wkt = ogcWkt.trim();
  // Innermost first: these nodes hold no brackets of their own.
  for (let before = ''; before !== wkt;) {
    before = wkt;
    wkt = wkt.replace(/,\s*(AUTHORITY|AXIS|TOWGS84|EXTENSION)\[[^[\]]*\]/gi, '');
  }
  wkt = wkt.replace(/(PROJCS|GEOGCS|DATUM|SPHEROID|PRIMEM)\["([^"]*)"/gi, (_all, node: string, name: string) => {
    const key = node.toUpperCase();
    let renamed = esriName(name);
    if (key === 'DATUM' && !renamed.startsWith('D_')) renamed = `D_${renamed}`;
    if (key === 'GEOGCS' && !renamed.startsWith('GCS_')) renamed = `GCS_${renamed}`;
    return `${key}["${renamed}"`;
  });
  return wkt
    .replace(/UNIT\["metre",\s*1(\.0*)?\]/gi, 'UNIT["Meter",1.0]')
    .replace(/UNIT\["degree",/gi, 'UNIT["Degree",');
}
