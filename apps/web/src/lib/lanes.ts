/**
 * Lanes for span bands under the text: interval colouring in start order (longest first on ties),
 * so overlapping or nested spans get bands of their own and a span keeps one lane from start to
 * end. Used by the editor and by the adjudication columns.
 */
export function assignLanes(spans: readonly { id: string; start: number; end: number }[]): Map<string, number> {
  const ordered = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1));
  const laneEnds: number[] = [];
  const lanes = new Map<string, number>();
  for (const span of ordered) {
    let lane = laneEnds.findIndex((end) => end <= span.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(span.end);
    } else {
      laneEnds[lane] = span.end;
    }
    lanes.set(span.id, lane);
  }
  return lanes;
}
