/**
 * Hillshade of a DEM: the brightness of the ground lit by a distant sun, for a map background.
 */
import type { Raster } from './raster.js';
import { surfaceGradients } from './terrain.js';

/**
 * Standard hillshade 0–255 (Horn gradients): 255 × cos of the angle between the ground's normal and
 * the sun, 0 in its own shadow; flat ground is round(255 × sin(altitude)).
 */
export function hillshade(
  dem: Raster<Float32Array>,
  options: { azimuthDegrees?: number; altitudeDegrees?: number; zFactor?: number } = {},
): Uint8Array {
  const azimuth = ((options.azimuthDegrees ?? 315) * Math.PI) / 180;
  const altitude = ((options.altitudeDegrees ?? 45) * Math.PI) / 180;
  const zFactor = options.zFactor ?? 1;
  // The sun's direction as a unit vector (east, north, up); azimuth clockwise from north.
  const sunEast = Math.sin(azimuth) * Math.cos(altitude);
  const sunNorth = Math.cos(azimuth) * Math.cos(altitude);
  const sunUp = Math.sin(altitude);
  const { eastward, northward } = surfaceGradients(dem);
  const shade = new Uint8Array(eastward.length);
  for (let i = 0; i < shade.length; i++) {
    const p = eastward[i]! * zFactor;
    const q = northward[i]! * zFactor;
    // Normal of z = f(east, north) is (-p, -q, 1) / |…|.
    const light = (sunUp - p * sunEast - q * sunNorth) / Math.sqrt(1 + p * p + q * q);
    shade[i] = light > 0 ? Math.round(255 * light) : 0;
  }
  return shade;
}
