package dev.h2fix.chaos.report;

import java.io.PrintStream;
import java.util.List;

/** Prints tables of text, one column left-aligned, the others right-aligned. */
public final class TablePrinter {
  private TablePrinter() {}

  /** Prints {@code rows} (first row: headings) under a title. */
  public static void print(PrintStream out, String title, List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    out.println(title);
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int c = 0; c < columns; c++) {
        String cell = row.get(c);
        if (c == 0) {
          line.append(cell).append(" ".repeat(widths[c] - cell.length()));
        } else {
          line.append("   ").append(" ".repeat(widths[c] - cell.length())).append(cell);
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.println();
  }
}
