package layerlab.view;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.Locale;

/**
 * Our own writers over a Tablesaw {@link Table}: a static HTML table (no Tablesaw JS/CSS) and an
 * aligned plain-text table. Numbers are right-aligned and printed like the grids ({@link Html#num}).
 */
final class Tables {
    private Tables() {
    }

    static String html(Table t, String caption) {
        return html(t, caption, false);
    }

    /** With {@code totalRow}, the last row is set off as a bold total. */
    static String html(Table t, String caption, boolean totalRow) {
        StringBuilder b = new StringBuilder("<table style=\"border-collapse:collapse;margin:4px 0;"
                + "font-family:sans-serif;font-size:13px\">");
        if (caption != null) {
            b.append("<caption style=\"caption-side:top;text-align:left;font-weight:bold;padding:2px 0\">")
                    .append(Html.escape(caption)).append("</caption>");
        }
        b.append("<thead><tr>");
        for (Column<?> c : t.columns()) {
            b.append("<th style=\"border-bottom:2px solid #444;padding:3px 10px;text-align:")
                    .append(numeric(c) ? "right" : "left").append("\">").append(Html.escape(c.name())).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (int r = 0; r < t.rowCount(); r++) {
            boolean total = totalRow && r == t.rowCount() - 1;
            b.append("<tr style=\"background:").append(r % 2 == 0 ? "#ffffff" : "#f3f6fa")
                    .append(total ? ";font-weight:bold;border-top:2px solid #444" : "").append("\">");
            for (Column<?> c : t.columns()) {
                String v = cell(c, r);
                // white-space:pre keeps the indentation of nested layer names
                String style = "padding:2px 10px;border-bottom:1px solid #ddd;text-align:" + (numeric(c) ? "right" : "left")
                        + (numeric(c) ? "" : ";white-space:pre") + (isBad(v) ? ";color:#b00020;font-weight:bold" : "");
                b.append("<td style=\"").append(style).append("\">").append(Html.escape(v)).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    static String text(Table t) {
        int cols = t.columnCount();
        int[] width = new int[cols];
        for (int j = 0; j < cols; j++) {
            width[j] = t.column(j).name().length();
            for (int r = 0; r < t.rowCount(); r++) {
                width[j] = Math.max(width[j], cell(t.column(j), r).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < cols; j++) {
            b.append(j == 0 ? "" : "  ").append(pad(t.column(j).name(), width[j], numeric(t.column(j))));
        }
        b.append('\n');
        int total = 0;
        for (int w : width) {
            total += w;
        }
        b.append("-".repeat(total + 2 * (cols - 1)));
        for (int r = 0; r < t.rowCount(); r++) {
            b.append('\n');
            for (int j = 0; j < cols; j++) {
                b.append(j == 0 ? "" : "  ").append(pad(cell(t.column(j), r), width[j], numeric(t.column(j))));
            }
        }
        return b.toString();
    }

    private static boolean numeric(Column<?> c) {
        return c instanceof NumericColumn<?>;
    }

    static String cell(Column<?> c, int row) {
        if ((c instanceof IntColumn || c instanceof LongColumn) && !((NumericColumn<?>) c).isMissing(row)) {
            return String.format(Locale.ROOT, "%,d", (long) ((NumericColumn<?>) c).getDouble(row));
        }
        if (c instanceof NumericColumn<?> n) {
            // NOTE: Tablesaw treats NaN as "missing"; here NaN must show (and be flagged) as NaN
            return Html.num(n.getDouble(row));
        }
        return c.getString(row);
    }

    private static boolean isBad(String v) {
        return v.equals("NaN") || v.endsWith("Inf");
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }
}
