// Shared input checks: every message names the argument and the position, so a caller with a
// 10,000-row matrix learns which cell is wrong.

export function requireArray<T>(value: T[] | undefined, where: string): T[];
export function requireArray(value: unknown, where: string): unknown[];
export function requireArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${where} must be an array, got ${describe(value)}`);
  return value;
}

export function requireFiniteNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${where} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

export function requireCount(value: unknown, where: string): number {
  const n = requireFiniteNumber(value, where);
  if (n < 0) throw new RangeError(`${where} is negative (${n}); counts must be >= 0`);
  if (!Number.isInteger(n)) throw new RangeError(`${where} is ${n}; counts must be whole numbers`);
  return n;
}

export function requireInteger(value: unknown, where: string): number {
  const n = requireFiniteNumber(value, where);
  if (!Number.isInteger(n)) throw new RangeError(`${where} must be an integer offset, got ${n}`);
  return n;
}

export function requireString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new TypeError(`${where} must be a string, got ${describe(value)}`);
  return value;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
