/**
 * The standard normal distribution's upper tail, to ~1e-15 absolute (1e-13 relative up to |z| = 3,
 * 1e-8 relative at |z| = 8): Hart's (1968) rational
 * approximation below |z| = 7.07 and a continued fraction beyond, as given by West (2005),
 * "Better approximations to cumulative normal functions". Computing the tail directly (not
 * 1 − Φ) keeps tiny p-values accurate, which the FDR correction ranks on.
 */

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const x = Math.abs(z);
  let tail: number;
  if (x > 37) {
    tail = 0;
  } else {
    const gauss = Math.exp((-x * x) / 2);
    if (x < 7.07106781186547) {
      let numerator = 3.52624965998911e-2 * x + 0.700383064443688;
      numerator = numerator * x + 6.37396220353165;
      numerator = numerator * x + 33.912866078383;
      numerator = numerator * x + 112.079291497871;
      numerator = numerator * x + 221.213596169931;
      numerator = numerator * x + 220.206867912376;
      let denominator = 8.83883476483184e-2 * x + 1.75566716318264;
      denominator = denominator * x + 16.064177579207;
      denominator = denominator * x + 86.7807322029461;
      denominator = denominator * x + 296.564248779674;
      denominator = denominator * x + 637.333633378831;
      denominator = denominator * x + 793.826512519948;
      denominator = denominator * x + 440.413735824752;
      tail = (gauss * numerator) / denominator;
    } else {
      let fraction = x + 0.65;
      fraction = x + 4 / fraction;
      fraction = x + 3 / fraction;
      fraction = x + 2 / fraction;
      fraction = x + 1 / fraction;
      tail = gauss / fraction / 2.506628274631;
    }
  }
  return z >= 0 ? tail : 1 - tail;
}

/** Standard normal cumulative distribution Φ(z). */
export function normalCdf(z: number): number {
  return 1 - normalUpperTail(z);
}

/** Two-sided p-value of a z-score: 2·P(Z > |z|). */
export function twoSidedP(z: number): number {
  return Number.isNaN(z) ? NaN : Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}
