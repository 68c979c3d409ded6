package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Builds a static MIME bundle: text/plain always, plus optional text/html, image/png and
 * image/svg+xml. No JavaScript, no CDN — outputs must survive nbconvert, PDF export and graders.
 *
 * <p>Every picture is carried once. A view that is one picture is text/plain + image/png, its
 * summary line, warnings and notes drawn into the picture ({@link Caption}); a view with tables is
 * text/plain + text/html with its pictures inline. NOTE: front-ends show only the richest type of
 * a bundle (HTML beats PNG), which is why a picture beside HTML would have to be embedded in the
 * HTML as well — twice the bytes in every saved notebook; {@link #build()} refuses that.
 */
final class Bundle {
    private final String text;
    private String html;
    private String pngBase64;
    private String svg;

    private Bundle(String text) {
        this.text = text;
    }

    static Bundle text(String text) {
        return new Bundle(text);
    }

    Bundle html(String html) {
        this.html = html;
        return this;
    }

    Bundle png(BufferedImage image) {
        this.pngBase64 = base64Png(image);
        return this;
    }

    Bundle svg(String svg) {
        this.svg = svg;
        return this;
    }

    DisplayData build() {
        if (html != null && (pngBase64 != null && html.contains(pngBase64) || svg != null && html.contains(svg))) {
            throw new IllegalStateException("Bundle: a picture is carried once, either inline in the HTML or as "
                    + "its own MIME type, not both");
        }
        DisplayData d = new DisplayData(text);
        if (html != null) {
            d.putHTML(html);
        }
        if (pngBase64 != null) {
            d.putData(MIMEType.IMAGE_PNG, pngBase64);
        }
        if (svg != null) {
            d.putSVG(svg);
        }
        return d;
    }

    /** PNG bytes, base64-encoded as Jupyter wants image/png. */
    static String base64Png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** An HTML img element carrying the PNG inline (renders offline and in exported HTML). */
    static String imgTag(String pngBase64, String alt) {
        return "<img alt=\"" + Html.escape(alt) + "\" src=\"data:image/png;base64," + pngBase64 + "\"/>";
    }
}
