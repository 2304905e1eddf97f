/**
 * Text encodings of imported files: UTF-8, or GBK/GB18030 (the default of Chinese Windows, and so of
 * most Shapefile attribute tables and Excel CSV exports). A .cpg file names it when present;
 * otherwise a strict UTF-8 decode is tried first (GBK text is almost never valid UTF-8), then
 * GB18030 (a superset of GBK).
 */

export type TextEncoding = 'utf-8' | 'gbk' | 'gb18030';

/** The encoding a .cpg (or a user) names, or null when it names one we do not read. */
export function encodingFromCpg(cpg: string): TextEncoding | null {
  const name = cpg
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (['utf8', '65001', 'unicode'].includes(name)) return 'utf-8';
  if (['936', 'gbk', 'cp936', 'ansi936', 'gb2312', 'windows936', 'ms936'].includes(name)) return 'gbk';
  if (['gb18030', '54936'].includes(name)) return 'gb18030';
  return null;
}

/** How the encoding was decided, for the report. */
export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** 'cpg' when a .cpg named it, 'detected' otherwise. */
  source: 'cpg' | 'detected';
}

/** The encoding of bytes that do not say: UTF-8 when they decode strictly as UTF-8, else GB18030. */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Decode text in the given encoding (a byte-order mark is dropped). */
export function decodeAs(bytes: Uint8Array, encoding: TextEncoding): string {
  return new TextDecoder(encoding).decode(bytes);
}

/** Decode bytes in the encoding a .cpg names, or the detected one. */
export function decodeWithCpg(bytes: Uint8Array, cpg: string | undefined): DecodedText {
  const named = cpg !== undefined ? encodingFromCpg(cpg) : null;
  const encoding = named ?? detectEncoding(bytes);
  return { text: decodeAs(bytes, encoding), encoding, source: named ? 'cpg' : 'detected' };
}
