package layerlab.view;

import layerlab.tensor.Shapes;
import layerlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a rank 3–5 tensor into the 2D planes a student looks at — one per channel per sample (and
 * per frame for video) — capped so the picture stays readable, with a note naming what was left out.
 *
 * <p>Rank 3 is read as (C, H, W), rank 4 as (N, C, H, W), rank 5 as (N, C, D, H, W).
 *
 * <p>Each sample (each sample and channel for video) starts a new row of tiles, wrapped at
 * {@link #MAX_COLS} per row, so a row never mixes two samples — except when every sample is a
 * single plane (a batch of grey images), which then sit side by side.
 */
record Planes(List<Row> rows, List<String> notes) {
    static final int MAX_COLS = 8;
    static final int MAX_SAMPLES = 8;
    static final int MAX_CHANNELS = 16;
    static final int MAX_VIDEO_SAMPLES = 4;
    static final int MAX_VIDEO_CHANNELS = 4;
    static final int MAX_FRAMES = 8;

    /**
     * What {@code show(x)} draws at most: this many values (a pixel each, or a block of pixels when
     * magnified). Keeps the PNG of a big tensor small — a 64×512×56×56 activation is shown as 2
     * samples × 8 channels, not 8 × 16 — since every output is saved in the notebook file.
     */
    static final int DRAWN_VALUES = 1 << 16;

    /** The default caps of {@code show(x)}; rank 1 is one 1×L tile and rank 2 one H×W tile. */
    static Planes of(Tensor t) {
        int[] s = t.shape();
        return switch (t.rank()) {
            case 1 -> single(t, 1, s[0]);
            case 2 -> single(t, s[0], s[1]);
            case 3 -> { // (C, H, W): only channels to cap
                int[] n = budget(new int[] {1, Math.min(s[0], MAX_CHANNELS), 1}, s[1], s[2]);
                yield cut(t, 0, 1, n[1], 1);
            }
            case 4 -> {
                int[] n = budget(new int[] {Math.min(s[0], MAX_SAMPLES), Math.min(s[1], MAX_CHANNELS), 1}, s[2], s[3]);
                yield cut(t, 0, n[0], n[1], 1);
            }
            case 5 -> {
                int[] n = budget(new int[] {Math.min(s[0], MAX_VIDEO_SAMPLES), Math.min(s[1], MAX_VIDEO_CHANNELS),
                    Math.min(s[2], MAX_FRAMES)}, s[3], s[4]);
                yield cut(t, 0, n[0], n[1], n[2]);
            }
            default -> throw new IllegalArgumentException("Planes: expected rank 3 (C,H,W), 4 (N,C,H,W) or "
                    + "5 (N,C,D,H,W), got shape " + Shapes.str(t.shape()));
        };
    }

    /**
     * (samples, channels, frames) halved until the tiles draw at most {@link #DRAWN_VALUES}
     * values: samples first down to 2, frames down to 4, channels down to 8, then each down to 1.
     */
    static int[] budget(int[] counts, int h, int w) {
        int[] n = counts.clone();
        int[][] steps = {{0, 2}, {2, 4}, {1, 8}, {0, 1}, {2, 1}, {1, 1}}; // (which count, its floor)
        for (int[] step : steps) {
            while (drawn(n, h, w) > DRAWN_VALUES && n[step[0]] > step[1]) {
                n[step[0]] = Math.max(step[1], (n[step[0]] + 1) / 2);
            }
        }
        return n;
    }

    /**
     * Values the painter draws for these tiles: a shrunk tile draws its box, a magnified one its
     * values (its blocks of equal pixels cost next to nothing in a PNG).
     */
    static long drawn(int[] n, int h, int w) {
        int tiles = n[0] * n[1] * n[2];
        int cols = Math.min(MAX_COLS, n[1] * n[2] == 1 ? Math.max(1, n[0]) : n[1] * n[2]);
        int box = TilePainter.Spec.autoBox(TilePainter.MAX_WIDTH, cols);
        double scale = Math.min(1.0, (double) box / Math.max(h, w));
        return Math.round(tiles * (h * scale) * (w * scale));
    }

    private static Planes single(Tensor t, int h, int w) {
        Tile one = new Tile(t.data(), 0, h, w, h + "×" + w);
        return new Planes(List.of(new Row(List.of(one), false)), List.of());
    }

    /**
     * Samples [n0, n0 + ns), channels [0, cs), frames [0, ts) of {@code t}; for rank 3 the only
     * "sample" is the tensor itself.
     */
    static Planes cut(Tensor t, int n0, int ns, int cs, int ts) {
        return cut(t, n0, ns, cs, ts, MAX_COLS);
    }

    /** As {@link #cut(Tensor, int, int, int, int)}, wrapping rows at {@code cols} tiles. */
    static Planes cut(Tensor t, int n0, int ns, int cs, int ts, int cols) {
        int[] s = t.shape();
        int r = s.length;
        int h = s[r - 2];
        int w = s[r - 1];
        int samples = r == 3 ? 1 : s[0];
        int channels = r == 3 ? s[0] : s[1];
        int frames = r == 5 ? s[2] : 1;
        List<List<Tile>> groups = new ArrayList<>();
        for (int n = n0; n < n0 + ns; n++) {
            List<Tile> group = new ArrayList<>();
            for (int c = 0; c < cs; c++) {
                for (int f = 0; f < ts; f++) {
                    int plane = (n * channels + c) * frames + f;
                    group.add(new Tile(t.data(), plane * h * w, h, w, title(r, n, c, f)));
                }
                if (r == 5) { // video: one group per (sample, channel), frames across
                    groups.add(group);
                    group = new ArrayList<>();
                }
            }
            if (!group.isEmpty()) {
                groups.add(group);
            }
        }
        if (groups.size() > 1 && groups.stream().allMatch(g -> g.size() == 1)) {
            // one plane per sample (a batch of grey images): side by side, not one sample per row
            List<Tile> all = new ArrayList<>();
            groups.forEach(all::addAll);
            groups = List.of(all);
        }
        List<String> notes = new ArrayList<>();
        String left = leftOut(r, samples, ns, channels, cs, frames, ts);
        if (!left.isEmpty()) {
            notes.add("Left out: " + left + " (capped so the picture stays readable and the output small).");
        }
        return new Planes(Row.wrap(groups, cols), notes);
    }

    /** One tile per plane, in row order. */
    List<Tile> tiles() {
        List<Tile> all = new ArrayList<>();
        for (Row row : rows) {
            all.addAll(row.tiles());
        }
        return all;
    }

    /** Tiles per row of the widest row. */
    int cols() {
        int c = 1;
        for (Row row : rows) {
            c = Math.max(c, row.tiles().size());
        }
        return c;
    }

    /** A row of tiles; {@code startsGroup} puts extra space above it (a new sample). */
    record Row(List<Tile> tiles, boolean startsGroup) {
        static List<Row> wrap(List<List<Tile>> groups, int cols) {
            List<Row> rows = new ArrayList<>();
            for (List<Tile> g : groups) {
                for (int i = 0; i < g.size(); i += cols) {
                    rows.add(new Row(g.subList(i, Math.min(g.size(), i + cols)), i == 0 && !rows.isEmpty()));
                }
            }
            return rows;
        }
    }

    private static String title(int rank, int n, int c, int f) {
        return switch (rank) {
            case 3 -> "c=" + c;
            case 4 -> "n=" + n + " c=" + c;
            default -> "n=" + n + " c=" + c + " t=" + f;
        };
    }

    private static String leftOut(int rank, int samples, int ns, int channels, int cs, int frames, int ts) {
        List<String> parts = new ArrayList<>();
        if (rank > 3 && ns < samples) {
            parts.add("showing " + ns + " of " + samples + " samples");
        }
        if (cs < channels) {
            parts.add("showing " + cs + " of " + channels + " channels");
        }
        if (ts < frames) {
            parts.add("showing " + ts + " of " + frames + " frames");
        }
        return String.join(", ", parts);
    }
}
