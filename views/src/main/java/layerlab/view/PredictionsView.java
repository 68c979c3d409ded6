package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import layerlab.nn.Layer;
import layerlab.nn.Sequential;
import layerlab.nn.Softmax;
import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Test predictions as in the ConvNetJS demo: per image the picture, its true class, and the
 * top-3 class probabilities as bars — the true class green, a wrong top answer red. One picture
 * (image/png) with the same list as text.
 */
final class PredictionsView {
    static final int MAX_IMAGES = 16;
    static final int TOP = 3;
    static final int COLS = 4;
    private static final int CELL_W = 236;
    private static final int CELL_H = 112;
    private static final int IMG = 84;
    private static final int BAR = 96;
    private static final Color RIGHT = new Color(0x2ca02c);
    private static final Color WRONG = new Color(0xd62728);
    private static final Color OTHER = new Color(0xaaaaaa);
    private static final Font NAME = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font HEAD = new Font(Font.SANS_SERIF, Font.BOLD, 12);

    private PredictionsView() {
    }

    static DisplayData predictions(Layer model, Tensor images, int[] labels, List<String> classes) {
        int n = images.size(0);
        if (images.rank() != 4) {
            throw new IllegalArgumentException("predictions: expected images (N, C, H, W), got shape "
                    + Shapes.str(images.shape()));
        }
        if (labels.length != n) {
            throw new IllegalArgumentException("predictions: expected " + n + " labels (one per image), got " + labels.length);
        }
        Tensor out = TensorView.host(model.forward(images));
        if (out.rank() != 2 || out.size(0) != n || out.size(1) != classes.size()) {
            throw new IllegalArgumentException("predictions: expected the model to give (" + n + ", " + classes.size()
                    + ") scores for " + classes.size() + " class names, got shape " + Shapes.str(out.shape()));
        }
        boolean probs = endsInSoftmax(model) || isDistribution(out);
        float[] p = probs ? out.data() : softmax(out);
        Tensor host = TensorView.host(images);
        int shown = Math.min(n, MAX_IMAGES);
        StringBuilder text = new StringBuilder("Top-" + TOP + " class probabilities" + (probs ? "" : " (softmax of the model's logits)")
                + " for " + shown + " images; ✓ = the top answer is the true class");
        int correct = 0;
        int rows = (shown + COLS - 1) / COLS;
        BufferedImage img = new BufferedImage(Math.min(shown, COLS) * CELL_W, rows * CELL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < shown; i++) {
            int[] top = top(p, i, classes.size());
            boolean right = top[0] == labels[i];
            correct += right ? 1 : 0;
            text.append('\n').append(line(i, p, top, labels[i], classes));
            cell(g, host, i, p, top, labels[i], classes, (i % COLS) * CELL_W, (i / COLS) * CELL_H);
        }
        g.dispose();
        String summary = correct + " of " + shown + " right" + (n > shown ? "; showing " + shown + " of " + n + " images" : "");
        text.append('\n').append(summary);
        Caption caption = Caption.of().heading("Test predictions: top-" + TOP + " probabilities, true class in green")
                .note(summary + (probs ? "" : "; probabilities = softmax of the model's logits"));
        return Bundle.text(text.toString()).png(caption.above(img)).build();
    }

    private static String line(int i, float[] p, int[] top, int label, List<String> classes) {
        int k = classes.size();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%2d: true %-12s", i, classes.get(label)));
        for (int r = 0; r < top.length; r++) {
            b.append(String.format(Locale.ROOT, "  %d. %s %.1f%%", r + 1, classes.get(top[r]), 100 * p[i * k + top[r]]));
        }
        b.append(top[0] == label ? "  ✓" : "  ✗");
        boolean inTop = false;
        for (int c : top) {
            inTop |= c == label;
        }
        if (!inTop) {
            b.append(String.format(Locale.ROOT, " (true class: %.1f%%)", 100 * p[i * k + label]));
        }
        return b.toString();
    }

    /** One image: its picture left, "true: …" above three bars of class probabilities. */
    private static void cell(Graphics2D g, Tensor images, int i, float[] p, int[] top, int label, List<String> classes,
                             int x0, int y0) {
        g.drawImage(Thumb.image(images, i, IMG), x0 + 8, y0 + 18, null);
        g.setColor(Color.BLACK);
        g.setFont(HEAD);
        g.drawString((top[0] == label ? "✓ " : "✗ ") + "true: " + classes.get(label), x0 + 8, y0 + 13);
        int k = classes.size();
        g.setFont(NAME);
        for (int r = 0; r < top.length; r++) {
            int c = top[r];
            int y = y0 + 22 + r * 28;
            int bx = x0 + IMG + 16;
            g.setColor(Color.BLACK);
            g.drawString(shorten(classes.get(c)), bx, y + 10);
            g.setColor(new Color(0xeeeeee));
            g.fillRect(bx, y + 14, BAR, 9);
            g.setColor(c == label ? RIGHT : r == 0 ? WRONG : OTHER);
            g.fillRect(bx, y + 14, (int) Math.round(BAR * p[i * k + c]), 9);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f%%", 100 * p[i * k + c]), bx + BAR + 4, y + 23);
        }
    }

    private static String shorten(String name) {
        return name.length() <= 16 ? name : name.substring(0, 15) + "…";
    }

    static int[] top(float[] p, int row, int k) {
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            order.add(c);
        }
        order.sort((a, b) -> Float.compare(p[row * k + b], p[row * k + a]));
        int[] top = new int[Math.min(TOP, k)];
        for (int r = 0; r < top.length; r++) {
            top[r] = order.get(r);
        }
        return top;
    }

    private static boolean endsInSoftmax(Layer model) {
        return model instanceof Softmax
                || model instanceof Sequential s && s.size() > 0 && s.get(s.size() - 1) instanceof Softmax;
    }

    /** Every row non-negative and summing to 1 (within float error): already probabilities. */
    private static boolean isDistribution(Tensor out) {
        int k = out.size(1);
        for (int i = 0; i < out.size(0); i++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                float v = out.data()[i * k + c];
                if (!(v >= 0)) {
                    return false;
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-4) {
                return false;
            }
        }
        return true;
    }

    /** Row-wise softmax, stable: e^(l − max) / Σ e^(l − max). */
    static float[] softmax(Tensor logits) {
        int n = logits.size(0);
        int k = logits.size(1);
        float[] d = logits.data();
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                m = Math.max(m, d[i * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(d[i * k + c] - m);
            }
            for (int c = 0; c < k; c++) {
                p[i * k + c] = (float) (Math.exp(d[i * k + c] - m) / sum);
            }
        }
        return p;
    }
}
