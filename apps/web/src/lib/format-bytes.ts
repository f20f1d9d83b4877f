import type { Locale } from '@warrant/contracts';

const UNITS = [
  ['gigabyte', 1024 ** 3],
  ['megabyte', 1024 ** 2],
  ['kilobyte', 1024],
] as const;

const formats = new Map<string, Intl.NumberFormat>();
function unitFormat(locale: Locale, unit: string): Intl.NumberFormat {
  const key = `${locale}:${unit}`;
  let format = formats.get(key);
  if (!format) {
    // Bytes in words ("812 bytes", "812 байт"): the short form of a byte is not a word in English.
    const unitDisplay = unit === 'byte' ? 'long' : 'short';
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay, maximumFractionDigits: 1 });
    formats.set(key, format);
  }
  return format;
}

/** A size the way the locale writes it, in binary steps: "812 bytes", "3.4 MB" / "3,4 МБ". */
export function formatBytes(bytes: number, locale: Locale): string {
  for (const [unit, size] of UNITS) {
    if (bytes >= size) return unitFormat(locale, unit).format(bytes / size);
  }
  return unitFormat(locale, 'byte').format(bytes);
}
