import { html, nothing, svg, type TemplateResult } from 'lit-html';

/**
 * A tiny inline SVG sparkline for monthly series: a line from zero to the series' maximum (so a
 * flat row of small counts does not look like a crisis), with the time window shaded.
 */

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
): TemplateResult {
  const box = options.box ?? { width: 84, height: 20, padding: 2 };
  const band = options.window ? windowBand(values.length, options.window[0], options.window[1], box) : null;
  return html`<svg
    class="sparkline"
    width=${box.width}
    height=${box.height}
    viewBox=${`0 0 ${box.width} ${box.height}`}
    role="img"
    aria-label=${options.title ?? nothing}
  >
    ${options.title ? svg`<title>${options.title}</title>` : nothing}${
      band
        ? svg`<rect class="sparkline-window" x=${band.x} y="0" width=${band.width} height=${box.height}></rect>`
        : nothing
    }
    <path
      d=${sparklinePath(values, box)}
      fill="none"
      stroke=${options.colour ?? 'currentColor'}
      stroke-width="1.3"
      stroke-linejoin="round"
    ></path>
  </svg>`;
}
