/** A Markdown table; columns from `numericFrom` on are right-aligned. */
export function formatTable(header: string[], rows: string[][], numericFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const isNumeric = (i: number) => i >= numericFrom;
  const line = (cells: string[]) =>
    `| ${header
      .map((_, i) => {
        const cell = cells[i] ?? "";
        const width = widths[i] ?? 0;
        return isNumeric(i) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (isNumeric(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
