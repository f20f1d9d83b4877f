/** Geometry of relation arcs over the text, in the text layer's own coordinates. */

export interface Anchor {
  x: number;
  y: number;
}

export interface ArcShape {
  d: string;
  /** The middle of the curve: where undercuts aim, and where the label sits. */
  mid: Anchor;
}

/** A cubic arc above the line from one span's top to another's, taller the further apart they are. */
export function arcBetween(from: Anchor, to: Anchor): ArcShape {
  const dx = Math.abs(to.x - from.x);
  const dy = Math.abs(to.y - from.y);
  const lift = Math.min(90, 14 + dx / 8 + dy / 6);
  const top = Math.min(from.y, to.y) - lift;
  const c1 = { x: from.x, y: top };
  const c2 = { x: to.x, y: top };
  const mid = {
    x: (from.x + 3 * c1.x + 3 * c2.x + to.x) / 8,
    y: (from.y + 3 * c1.y + 3 * c2.y + to.y) / 8,
  };
  return { d: `M ${r(from.x)} ${r(from.y)} C ${r(c1.x)} ${r(c1.y)}, ${r(c2.x)} ${r(c2.y)}, ${r(to.x)} ${r(to.y)}`, mid };
}

/** A gentler arc from a span to the middle of another arc (an undercut). */
export function arcToPoint(from: Anchor, to: Anchor): ArcShape {
  const lift = 10 + Math.min(40, Math.abs(to.x - from.x) / 10);
  const c1 = { x: from.x, y: from.y - lift };
  const c2 = { x: to.x, y: to.y - lift / 2 };
  const mid = {
    x: (from.x + 3 * c1.x + 3 * c2.x + to.x) / 8,
    y: (from.y + 3 * c1.y + 3 * c2.y + to.y) / 8,
  };
  return { d: `M ${r(from.x)} ${r(from.y)} C ${r(c1.x)} ${r(c1.y)}, ${r(c2.x)} ${r(c2.y)}, ${r(to.x)} ${r(to.y)}`, mid };
}

function r(n: number): string {
  return n.toFixed(1);
}

/**
 * Which relation types are drawn dashed: every type but the first that links spans (in the default
 * scheme, attacks and undercuts dashed, supports solid), whatever the keys are called.
 */
export function dashedTypes(scheme: { relationTypes: readonly { key: string; target: string }[] }): Set<string> {
  const solid = scheme.relationTypes.find((type) => type.target === 'span')?.key;
  return new Set(scheme.relationTypes.filter((type) => type.key !== solid).map((type) => type.key));
}
