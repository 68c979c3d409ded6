package layerlab.view;

/**
 * One heatmap tile: an (h × w) block of {@code data} starting at {@code offset}.
 *
 * @param marked flat indices within the tile to outline (max-pool winners); empty for none
 */
record Tile(float[] data, int offset, int h, int w, String title, int[] marked) {
    Tile(float[] data, int offset, int h, int w, String title) {
        this(data, offset, h, w, title, new int[0]);
    }

    Stats stats() {
        return Stats.of(data, offset, h * w);
    }
}
