/**
 * Reading the members of an uploaded .zip (a zipped Shapefile, or an .xlsx, which is a zip) without
 * trusting it: names that climb out of the archive are refused, and every member's declared size is
 * checked before it is inflated. fflate inflates into a buffer of exactly the declared size, so a
 * member that lies about its size cannot grow past it: memory stays bounded by MAX_ZIP_BYTES.
 */
import { unzipSync } from 'fflate';
import { FileReadError } from './parse.js';

/** At most this many bytes once inflated, all members together (a zip bomb is refused unread). */
export const MAX_ZIP_BYTES = 1024 * 1024 * 1024;
/** At most this many members. */
export const MAX_ZIP_ENTRIES = 10_000;

/** The zip's local file header signature, "PK\x03\x04". */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** A member name that would leave the archive's folder if written out (../, /etc, C:\). */
export function unsafeZipName(name: string): boolean {
  const normalised = name.replace(/\\/g, '/');
  return normalised.startsWith('/') || /^[a-zA-Z]:/.test(normalised) || normalised.split('/').includes('..');
}

/**
 * Inflate the members `wanted` accepts (all when omitted). Throws FileReadError, in Chinese and
 * English, for a damaged zip, a path-traversal name, or declared sizes over the limits.
 */
export function readZip(bytes: Uint8Array, wanted: (name: string) => boolean = () => true): Map<string, Uint8Array> {
  let declared = 0;
  let entries = 0;
  let problem: string | null = null;
  let files;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        entries += 1;
        if (problem) return false;
        if (unsafeZipName(file.name)) {
          problem = `压缩包内的文件名 "${file.name}" 指向压缩包之外，拒绝读取（the zip holds a member named "${file.name}", which points outside the archive: refused）`;
          return false;
        }
        if (entries > MAX_ZIP_ENTRIES) {
          problem = `压缩包内文件超过 ${MAX_ZIP_ENTRIES} 个（the zip holds more than ${MAX_ZIP_ENTRIES} members: refused）`;
          return false;
        }
        if (!wanted(file.name)) return false;
        declared += file.originalSize;
        if (declared > MAX_ZIP_BYTES || file.originalSize < 0) {
          problem = `压缩包解压后超过 ${MAX_ZIP_BYTES / 1024 / 1024} MiB（"${file.name}" declares ${file.originalSize} bytes; the zip would inflate to more than ${MAX_ZIP_BYTES / 1024 / 1024} MiB: refused as a possible zip bomb）`;
          return false;
        }
        return true;
      },
    });
  } catch (err) {
    throw new FileReadError(`压缩包已损坏，无法读取（the zip cannot be read: ${(err as Error).message}）`);
  }
  if (problem) throw new FileReadError(problem);
  return new Map(Object.entries(files));
}
