/** The header row of the operators' tables: one column heading each (an empty one for a column of buttons). */
export function TableHead({ headings }: { headings: readonly string[] }) {
  return (
    <thead className="text-left text-ink-muted">
      <tr>
        {headings.map((heading, index) => (
          <th key={`${index}:${heading}`} scope="col" className="px-3 py-2 font-medium">
            {heading}
          </th>
        ))}
      </tr>
    </thead>
  );
}
