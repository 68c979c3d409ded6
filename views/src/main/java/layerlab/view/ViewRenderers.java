package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import layerlab.nn.Summary;
import layerlab.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * Registers the lab's renderers on the base kernel's {@link Renderer}, so a cell whose value is a
 * {@link Tensor} shows as {@code show(x)} does and a {@link Summary} as a table. The kernel calls {@link #register} once at start-up.
 * Objects that render themselves ({@link Progress}, {@link BnMonitor}) implement
 * {@code DisplayDataRenderable} and need no registration.
 */
public final class ViewRenderers {
    /** The MIME types our bundles may carry, richest last. */
    static final List<MIMEType> TYPES = List.of(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG,
            MIMEType.IMAGE_SVG);

    private ViewRenderers() {
    }

    public static void register(Renderer r) {
        // a view's finished bundle passes through unchanged, should it reach the Renderer itself
        on(r, DisplayData.class, d -> d);
        on(r, Tensor.class, Views::show);
        on(r, Summary.class, Views::summary);
    }

    /** Registers {@code view} for values of {@code type}; the bundle is built once per render. */
    static <T> void on(Renderer r, Class<T> type, Function<T, DisplayData> view) {
        r.createRegistration(type)
                .supporting(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.IMAGE_SVG)
                .preferring(MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.IMAGE_SVG)
                .register((value, ctx) -> copy(view.apply(value), ctx));
    }

    /** Copies the requested types of a finished bundle into the render context. */
    static void copy(DisplayData bundle, RenderContext ctx) {
        for (MIMEType t : TYPES) {
            if (bundle.hasDataForType(t)) {
                ctx.renderIfRequested(t, () -> bundle.getData(t));
            }
        }
    }
}
