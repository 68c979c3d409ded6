package layerlab.view;

import layerlab.tensor.Tensor;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Text lines drawn above a picture, so that a view which is one picture carries its summary line,
 * warnings and notes inside it and its bundle needs no HTML around it: the picture is sent once
 * (as image/png), and LaTeX/PDF export, which skips HTML, shows all of it.
 */
final class Caption {
    static final int MARGIN = 12;
    private static final Font MONO = new Font(Font.MONOSPACED, Font.PLAIN, 13);
    private static final Font BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font NOTE = new Font(Font.SANS_SERIF, Font.ITALIC, 12);
    private static final Color WARNING = new Color(0xb00020);

    /** How a line looks: a red boxed warning, a bold heading, a monospaced summary, a grey note. */
    enum Style { WARNING, HEADING, MONO, NOTE }

    record Line(Style style, String text) {
    }

    private final List<Line> lines = new ArrayList<>();

    static Caption of() {
        return new Caption();
    }

    /** The red warning of {@code s} (NaN/Inf), if any, then the tensor's summary line. */
    static Caption summary(Tensor shown, Stats s) {
        Caption c = new Caption();
        if (s.hasNonFinite()) {
            c.warning(s.nonFiniteMessage());
        }
        return c.mono(Stats.line(shown, s));
    }

    Caption warning(String text) {
        return add(Style.WARNING, "⚠ " + text);
    }

    Caption heading(String text) {
        return add(Style.HEADING, text);
    }

    Caption mono(String text) {
        return add(Style.MONO, text);
    }

    Caption note(String text) {
        return add(Style.NOTE, text);
    }

    Caption notes(List<String> texts) {
        texts.forEach(this::note);
        return this;
    }

    private Caption add(Style style, String text) {
        lines.add(new Line(style, text));
        return this;
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines above {@code body} on white; the picture widens when a line is longer than it. */
    BufferedImage above(BufferedImage body) {
        if (lines.isEmpty()) {
            return body;
        }
        int textW = 0;
        int textH = MARGIN / 2;
        for (Line l : lines) {
            textW = Math.max(textW, metrics(font(l.style())).stringWidth(l.text()) + (l.style() == Style.WARNING ? 16 : 0));
            textH += height(l.style());
        }
        int width = Math.max(body.getWidth(), textW + 2 * MARGIN);
        BufferedImage out = new BufferedImage(width, textH + body.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, out.getHeight());
        int y = MARGIN / 2;
        for (Line l : lines) {
            draw(g, l, y, textW);
            y += height(l.style());
        }
        g.drawImage(body, 0, textH, null);
        g.dispose();
        return out;
    }

    private static void draw(Graphics2D g, Line l, int top, int textW) {
        g.setFont(font(l.style()));
        int base = top + height(l.style()) - 6;
        switch (l.style()) {
            case WARNING -> {
                g.setColor(new Color(0xfdecea));
                g.fillRect(MARGIN, top + 1, textW, height(l.style()) - 4);
                g.setColor(WARNING);
                g.setStroke(new BasicStroke(2f));
                g.drawRect(MARGIN, top + 1, textW, height(l.style()) - 4);
                g.drawString(l.text(), MARGIN + 8, base - 2);
            }
            case HEADING, MONO -> {
                g.setColor(Color.BLACK);
                g.drawString(l.text(), MARGIN, base);
            }
            case NOTE -> {
                g.setColor(new Color(0x555555));
                g.drawString(l.text(), MARGIN, base);
            }
        }
    }

    private static Font font(Style s) {
        return switch (s) {
            case WARNING, HEADING -> BOLD;
            case MONO -> MONO;
            case NOTE -> NOTE;
        };
    }

    private static int height(Style s) {
        return s == Style.WARNING ? 28 : 20;
    }

    static FontMetrics metrics(Font f) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        FontMetrics fm = g.getFontMetrics(f);
        g.dispose();
        return fm;
    }
}
