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
 * <p>NOTE: front-ends show only the richest type of a bundle (HTML beats PNG), so when a view
 * has both a header and a picture, the HTML embeds the PNG as a data URI and the bundle still
 * carries the bare PNG for consumers that skip HTML (LaTeX/PDF export).
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
        return png(base64Png(image));
    }

    /** An already encoded PNG (when the same picture is also embedded in the HTML). */
    Bundle png(String base64) {
        this.pngBase64 = base64;
        return this;
    }

    Bundle svg(String svg) {
        this.svg = svg;
        return this;
    }

    DisplayData build() {
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
