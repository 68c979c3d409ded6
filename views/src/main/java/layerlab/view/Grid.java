package layerlab.view;

import java.util.Map;

/**
 * A small 2D block of values as an HTML table (like the lecture's 4×4 pooling grids) and as
 * aligned plain text. Cells may be shaded by value and individual cells highlighted (a max-pool
 * winner is drawn bold with a colored border).
 *
 * @param values row-major (rows × cols) values, read from {@code offset}
 * @param highlight flat index within the block → CSS color of the highlight (may be empty)
 */
record Grid(float[] values, int offset, int rows, int cols, Colormap shading, Map<Integer, String> highlight) {
    /** Largest block shown as a grid; bigger 2D tensors become heatmaps. */
    static final int MAX_SIDE = 16;

    static Grid of(float[] values, int offset, int rows, int cols, Colormap shading) {
        return new Grid(values, offset, rows, cols, shading, Map.of());
    }

    Grid withHighlight(Map<Integer, String> cells) {
        return new Grid(values, offset, rows, cols, shading, cells);
    }

    float at(int r, int c) {
        return values[offset + r * cols + c];
    }

    String html(String caption) {
        StringBuilder b = new StringBuilder();
        b.append("<table style=\"border-collapse:collapse;margin:4px 8px;display:inline-table;"
                + "vertical-align:middle;font-family:monospace;font-size:13px\">");
        if (caption != null) {
            b.append("<caption style=\"caption-side:top;color:#333;font-family:sans-serif\">")
                    .append(Html.escape(caption)).append("</caption>");
        }
        for (int r = 0; r < rows; r++) {
            b.append("<tr>");
            for (int c = 0; c < cols; c++) {
                b.append(cell(r * cols + c, at(r, c)));
            }
            b.append("</tr>");
        }
        return b.append("</table>").toString();
    }

    private String cell(int flat, float v) {
        StringBuilder style = new StringBuilder("border:1px solid #888;padding:3px 6px;text-align:right;"
                + "min-width:2.2em;");
        if (shading != null) {
            style.append("background:").append(shading.cssBackground(v)).append(';');
        }
        if (!Float.isFinite(v)) {
            style.append("color:#fff;font-weight:bold;background:#d0006f;");
        }
        String mark = highlight.get(flat);
        if (mark != null) {
            style.append("font-weight:bold;outline:3px solid ").append(mark)
                    .append(";outline-offset:-3px;background:").append(mark).append("40;");
        }
        String title = mark != null ? " title=\"max of its window\"" : "";
        return "<td style=\"" + style + "\"" + title + ">" + Html.escape(Html.num(v)) + "</td>";
    }

    /** Right-aligned columns; highlighted cells get a leading '*'. */
    String text() {
        String[][] cells = new String[rows][cols];
        int width = 1;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                String s = (highlight.containsKey(r * cols + c) ? "*" : "") + Html.num(at(r, c));
                cells[r][c] = s;
                width = Math.max(width, s.length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            b.append(r == 0 ? "[[" : " [");
            for (int c = 0; c < cols; c++) {
                b.append(c == 0 ? "" : ", ").append(" ".repeat(width - cells[r][c].length())).append(cells[r][c]);
            }
            b.append(r == rows - 1 ? "]]" : "]\n");
        }
        return b.toString();
    }
}
