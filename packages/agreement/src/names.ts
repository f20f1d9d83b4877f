/**
 * Names to indices in order of first appearance: a scan for the handful of coders, labels or
 * components one passage has (cheaper than a Map at that size), a Map past that.
 */
export class NameIndex {
  readonly names: string[] = [];
  private map: Map<string, number> | undefined;
  /** The last index found: units and relations tend to come grouped by coder and label. */
  private last = 0;

  /** The name's index, -1 when it has none. */
  get(name: string): number {
    const names = this.names;
    if (names[this.last] === name) return this.last;
    if (this.map !== undefined) return this.map.get(name) ?? -1;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === name) return (this.last = i);
    }
    return -1;
  }

  add(name: string): number {
    const i = this.names.length;
    this.names.push(name);
    if (this.map !== undefined) this.map.set(name, i);
    else if (i >= 16) this.map = new Map(this.names.map((n, j) => [n, j]));
    return i;
  }
}
