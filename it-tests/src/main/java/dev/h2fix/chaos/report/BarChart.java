package dev.h2fix.chaos.report;

import java.util.List;
import java.util.Locale;

/**
 * An inline SVG grouped bar chart: for each category, one bar per series (stock, h2fix), with the
 * value written above each bar. No script, no external resource.
 */
public final class BarChart {
  /** One category and its value per series. */
  public record Group(String label, long[] values) {}

  private static final String[] COLOURS = {"#9e9e9e", "#2e7d32", "#1565c0", "#ef6c00"};
  private static final int BAR = 28;
  private static final int GAP = 10;
  private static final int GROUP_GAP = 64; // room for a label of about 20 characters under each group
  private static final int HEIGHT = 180;
  private static final int TOP = 24;
  private static final int BOTTOM = 48;

  private BarChart() {}

  public static String svg(String title, List<String> series, List<Group> groups) {
    long max = 1;
    for (Group g : groups) {
      for (long v : g.values()) {
        max = Math.max(max, v);
      }
    }
    int groupWidth = series.size() * BAR + (series.size() - 1) * GAP;
    int width = 40 + groups.size() * (groupWidth + GROUP_GAP);
    int total = TOP + HEIGHT + BOTTOM + 20;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n",
        width, total, Html.escape(title)));
    svg.append(String.format(Locale.ROOT, "<line x1=\"20\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
        TOP + HEIGHT, width - 10, TOP + HEIGHT));
    int x = 40;
    for (Group g : groups) {
      for (int s = 0; s < series.size(); s++) {
        long v = g.values()[s];
        int h = (int) Math.round((double) v / max * HEIGHT);
        int bx = x + s * (BAR + GAP);
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s, %s: %d</title></rect>%n",
            bx, TOP + HEIGHT - h, BAR, Math.max(h, 0), COLOURS[s % COLOURS.length],
            Html.escape(g.label()), Html.escape(series.get(s)), v));
        svg.append(String.format(Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>%n",
            bx + BAR / 2, TOP + HEIGHT - h - 4, v));
      }
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
          x + groupWidth / 2, TOP + HEIGHT + 16, Html.escape(g.label())));
      x += groupWidth + GROUP_GAP;
    }
    int lx = 40;
    for (int s = 0; s < series.size(); s++) {
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n",
          lx, TOP + HEIGHT + BOTTOM, COLOURS[s % COLOURS.length], lx + 16, TOP + HEIGHT + BOTTOM + 11,
          Html.escape(series.get(s))));
      lx += 30 + 8 * series.get(s).length();
    }
    svg.append("</svg>\n");
    return svg.toString();
  }
}
