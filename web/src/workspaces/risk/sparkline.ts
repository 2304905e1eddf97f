/**
 * A tiny inline SVG sparkline for monthly series: a line from zero to the series' maximum (so a
 * flat row of small counts does not look like a crisis), with the time window shaded.
 */

const SVG = 'http://www.w3.org/2000/svg';

/** Size of a sparkline in pixels, and the inner margin that keeps the stroke inside. */
export interface SparklineBox {
  width: number;
  height: number;
  padding: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** x of point `i` of `n` in the box. */
function xOf(i: number, n: number, box: SparklineBox): number {
  return n <= 1 ? box.width / 2 : box.padding + (i * (box.width - 2 * box.padding)) / (n - 1);
}

/**
 * The SVG path of a series: `M x y L x y …`, y from 0 (bottom) to the maximum (top); a series of
 * one value is a flat line across, an empty series no path.
 */
export function sparklinePath(values: readonly number[], box: SparklineBox): string {
  if (values.length === 0) return '';
  const max = Math.max(0, ...values);
  const yOf = (value: number) =>
    max > 0 ? box.padding + (box.height - 2 * box.padding) * (1 - value / max) : box.height - box.padding;
  if (values.length === 1) {
    const y = round(yOf(values[0]!));
    return `M${round(box.padding)} ${y}L${round(box.width - box.padding)} ${y}`;
  }
  return values
    .map((value, i) => `${i === 0 ? 'M' : 'L'}${round(xOf(i, values.length, box))} ${round(yOf(value))}`)
    .join('');
}

/**
 * The shaded band of points `from`…`to` (both included) of `n`: half a step either side of the
 * end points, clipped to the box. Null when the band is empty.
 */
export function windowBand(
  n: number,
  from: number,
  to: number,
  box: SparklineBox,
): { x: number; width: number } | null {
  const first = Math.max(0, from);
  const last = Math.min(n - 1, to);
  if (n === 0 || last < first) return null;
  const half = n <= 1 ? box.width / 2 : (box.width - 2 * box.padding) / (n - 1) / 2;
  const left = Math.max(0, xOf(first, n, box) - half);
  const right = Math.min(box.width, xOf(last, n, box) + half);
  return { x: round(left), width: round(right - left) };
}

/** An inline SVG sparkline of `values`, with points `window[0]`…`window[1]` shaded; `title` for a tooltip. */
export function sparkline(
  values: readonly number[],
  options: { box?: SparklineBox; window?: [number, number] | null; title?: string; colour?: string } = {},
): SVGSVGElement {
  const box = options.box ?? { width: 84, height: 20, padding: 2 };
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('width', String(box.width));
  svg.setAttribute('height', String(box.height));
  svg.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
  svg.setAttribute('role', 'img');
  if (options.title) {
    svg.setAttribute('aria-label', options.title);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = options.title;
    svg.append(title);
  }
  const band = options.window ? windowBand(values.length, options.window[0], options.window[1], box) : null;
  if (band) {
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('class', 'sparkline-window');
    rect.setAttribute('x', String(band.x));
    rect.setAttribute('y', '0');
    rect.setAttribute('width', String(band.width));
    rect.setAttribute('height', String(box.height));
    svg.append(rect);
  }
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', sparklinePath(values, box));
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', options.colour ?? 'currentColor');
  path.setAttribute('stroke-width', '1.3');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}
