package layerlab.view;

/** How heatmap tiles map values to colors. */
public enum Scale {
    /** One color scale for every tile (compare magnitudes across channels); one colorbar. */
    SHARED,
    /** Each tile stretched to its own [min, max] (see structure in weak channels); ranges in the titles. */
    PER_TILE
}
