/**
 * How deeply JSON read from a file may nest. JSON.parse reads any depth, but storing the value
 * (JSON.stringify) and comparing it recurse once per level and run out of stack at a few thousand
 * levels, which would fail a whole import with an internal error instead of a line-numbered one.
 * Metadata has no use for more than a few levels.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * True when `value` nests arrays and objects more than `max` levels deep, counting `value` itself
 * as the first level (iterative: no recursion, whatever the depth).
 */
export function nestedDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
