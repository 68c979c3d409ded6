package layerlab.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.common.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import layerlab.view.ViewRenderers;

/** The kernel's renderers: how a value becomes a MIME bundle. */
public final class Rendering {
    private static volatile Renderer standalone;

    private Rendering() {}

    /**
     * Registers the kernel's own renderers ({@link BufferedImage} as {@code image/png}) and the
     * lab's views (tensors, summaries; see {@link ViewRenderers}).
     */
    public static void registerDefaults(Renderer renderer) {
        ViewRenderers.register(renderer);
        renderer.createRegistration(BufferedImage.class)
                .preferring(Image.PNG)
                .supporting(Image.PNG)
                .register((image, context) -> {
                    context.getOutputContainer().putText("BufferedImage " + image.getWidth() + "×" + image.getHeight());
                    context.renderIfRequested(Image.PNG, () -> png(image));
                });
    }

    /**
     * A value's bundle: a {@link DisplayData} is itself; anything else goes through the registry
     * (a {@code DisplayDataRenderable} renders itself; a registered type uses its function;
     * every value gets {@code text/plain}).
     */
    public static DisplayData render(Renderer renderer, Object value) {
        if (value instanceof DisplayData d) {
            return d;
        }
        if (value == null) {
            return new DisplayData("null");
        }
        if (value.getClass().isArray()) {
            return new DisplayData(arrayText(value)); // not "[I@1b6d3586": a shape reads as its numbers
        }
        return renderer.render(value);
    }

    /** Elements of one array shown before the rest is counted. */
    static final int ARRAY_ELEMENTS_SHOWN = 100;

    /**
     * An array as JShell writes one, {@code int[2] { 2, 3 }}; nested arrays the same way, each
     * level cut after {@value #ARRAY_ELEMENTS_SHOWN} elements with the number left out.
     */
    static String arrayText(Object array) {
        StringBuilder sb = new StringBuilder();
        appendArray(sb, array);
        return sb.toString();
    }

    private static void appendArray(StringBuilder sb, Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        String type = array.getClass().getComponentType().getSimpleName(); // int, double[], Tensor
        int bracket = type.indexOf('[');
        String sized = bracket < 0 ? type + "[" + n + "]" : type.substring(0, bracket) + "[" + n + "]" + type.substring(bracket);
        sb.append(sized).append(" {");
        int shown = Math.min(n, ARRAY_ELEMENTS_SHOWN);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? " " : ", ");
            Object e = java.lang.reflect.Array.get(array, i);
            if (e != null && e.getClass().isArray()) {
                appendArray(sb, e);
            } else if (e instanceof String str) {
                sb.append('"').append(str).append('"');
            } else {
                sb.append(e);
            }
        }
        if (n > shown) {
            sb.append(", … (").append(n - shown).append(" more)");
        }
        sb.append(n == 0 ? "}" : " }");
    }

    /** Base64 PNG of an image. */
    public static String png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalArgumentException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static Renderer standalone() {
        Renderer r = standalone;
        if (r == null) {
            synchronized (Rendering.class) {
                if (standalone == null) {
                    Renderer fresh = new Renderer();
                    registerDefaults(fresh);
                    standalone = fresh;
                }
                r = standalone;
            }
        }
        return r;
    }
}
