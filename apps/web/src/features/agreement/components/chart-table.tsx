import type { ReactNode } from 'react';

/**
 * The numbers behind a picture, as a compact table: a row header, then numeric columns. What
 * screen readers (and the tests) read instead of the SVG.
 */
export function ChartTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  cells,
}: {
  caption: string;
  /** The row header column's title, then each numeric column's. */
  columns: readonly ReactNode[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** The row's header, then its numeric cells, in the order of `columns`. */
  cells: (row: Row) => readonly ReactNode[];
}) {
  const [first, ...numeric] = columns;
  return (
    <div className="table-wrap">
      <table className="table table--compact">
        <caption className="table__caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            {numeric.map((column, i) => (
              <th key={i} scope="col" className="numeric">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const [header, ...values] = cells(row);
            return (
              <tr key={rowKey(row)}>
                <th scope="row">{header}</th>
                {values.map((value, i) => (
                  <td key={i} className="numeric">
                    {value}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
