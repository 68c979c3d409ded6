package layerlab.view;

import java.util.Locale;

/** Small HTML helpers: escaping, number formatting and the lab's warning banner. */
final class Html {
    private Html() {
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A red banner for NaN/Inf and similar problems a student must not miss. */
    static String warning(String message) {
        return "<div style=\"font-family:sans-serif;color:#b00020;font-weight:bold;border:2px solid #b00020;padding:4px 8px;"
                + "margin:4px 0;background:#fdecea\">&#9888; " + escape(message) + "</div>";
    }

    /** A grey note, e.g. what a capped view left out. */
    static String note(String message) {
        return "<div style=\"font-family:sans-serif;font-size:13px;color:#555;font-style:italic;margin:2px 0\">" + escape(message) + "</div>";
    }

    static String mono(String text) {
        return "<div style=\"font-family:monospace;font-size:13px;margin:2px 0\">" + escape(text) + "</div>";
    }

    /**
     * A value for a grid cell or a label: integers as integers (the slides' 4×4 grids), other values
     * with 4 significant digits, tiny and huge ones in scientific notation.
     */
    static String num(double v) {
        return num(v, 4);
    }

    /** As {@link #num(double)} with {@code digits} significant digits (for labels short of room). */
    static String num(double v, int digits) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
        }
        String s = String.format(Locale.ROOT, "%." + digits + "g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
