package layerlab.view;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.StringReader;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks on a MIME bundle shared by the view tests. */
final class BundleAssert {
    private BundleAssert() {
    }

    static String text(DisplayData d) {
        Object t = d.getData(MIMEType.TEXT_PLAIN);
        assertNotNull(t, "text/plain is always present");
        assertTrue(!t.toString().isBlank(), "text/plain is not blank");
        return t.toString();
    }

    /** As {@link #html(DisplayData)}, and writes it to ${views.dump}/name.html when that property is set. */
    static String html(DisplayData d, String name) {
        String s = html(d);
        String dump = System.getProperty("views.dump");
        if (dump != null) {
            try {
                Files.createDirectories(Path.of(dump));
                Files.writeString(Path.of(dump, name + ".html"), "<meta charset=\"utf-8\">" + s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return s;
    }

    static String html(DisplayData d) {
        Object h = d.getData(MIMEType.TEXT_HTML);
        assertNotNull(h, "text/html present");
        String s = h.toString();
        assertBalanced(s, "table");
        assertBalanced(s, "div");
        assertBalanced(s, "tr");
        assertTrue(!s.contains("<script"), "no JavaScript in HTML output");
        assertTrue(!s.contains("http://") && !s.contains("https://") || s.contains("xmlns=\"http://www.w3.org/2000/svg\""),
                "no external resources (CDN)");
        assertWellFormed(s);
        return s;
    }

    /** Our HTML is written as XHTML, so an XML parser must accept it (every tag closed, entities valid). */
    static void assertWellFormed(String html) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.newDocumentBuilder().parse(new InputSource(new StringReader("<div>" + html + "</div>")));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new AssertionError("HTML is not well-formed: " + e.getMessage() + "\n"
                    + html.substring(0, Math.min(html.length(), 400)), e);
        }
    }

    private static void assertBalanced(String html, String tag) {
        int open = count(html, "<" + tag + ">") + count(html, "<" + tag + " ");
        int close = count(html, "</" + tag + ">");
        assertEquals(open, close, "<" + tag + "> opened and closed equally often");
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Decodes image/png, checks a sane size (fits a notebook, not a sliver) and that it is not blank
     * (pixel variance), and writes it to ${views.dump}/name.png when that property is set.
     */
    static BufferedImage png(DisplayData d, String name) {
        Object p = d.getData(MIMEType.IMAGE_PNG);
        assertNotNull(p, "image/png present");
        byte[] bytes = Base64.getDecoder().decode(p.toString());
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
            String dump = System.getProperty("views.dump");
            if (dump != null) {
                Files.createDirectories(Path.of(dump));
                Files.write(Path.of(dump, name + ".png"), bytes);
                Object h = d.getData(MIMEType.TEXT_HTML);
                if (h != null) {
                    Files.writeString(Path.of(dump, name + ".html"), "<meta charset=\"utf-8\">" + h);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertNotNull(img, "PNG decodes with ImageIO");
        assertTrue(img.getWidth() >= 200 && img.getWidth() <= 1400, "width fits a notebook: " + img.getWidth());
        assertTrue(img.getHeight() >= 100 && img.getHeight() <= 2400, "sane height: " + img.getHeight());
        assertTrue(variance(img) > 100, "picture is not blank");
        return img;
    }

    /**
     * A view that is one picture: image/png (checked as {@link #png}) and no HTML beside it, so the
     * picture is carried once.
     */
    static BufferedImage picture(DisplayData d, String name) {
        assertNull(d.getData(MIMEType.TEXT_HTML), "a one-picture view has no HTML beside its PNG");
        return png(d, name);
    }

    /**
     * The pictures inline in a view's HTML: each decodes and is not blank, none is also the
     * bundle's image/png (a picture is carried once); written to ${views.dump}/name-i.png when set.
     */
    static List<BufferedImage> inlinePngs(DisplayData d, String name) {
        String html = html(d, name);
        assertNull(d.getData(MIMEType.IMAGE_PNG), "pictures inline in the HTML are not sent a second time");
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(html);
        List<BufferedImage> all = new ArrayList<>();
        while (m.find()) {
            byte[] bytes = Base64.getDecoder().decode(m.group(1));
            BufferedImage img;
            try {
                img = ImageIO.read(new ByteArrayInputStream(bytes));
                String dump = System.getProperty("views.dump");
                if (dump != null) {
                    Files.write(Path.of(dump, name + "-" + all.size() + ".png"), bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertNotNull(img, "inline PNG " + all.size() + " decodes with ImageIO");
            assertTrue(variance(img) > 100, "inline PNG " + all.size() + " is not blank");
            all.add(img);
        }
        return all;
    }

    /**
     * Every table cell names its alignment and every body row its background: Jupyter's CSS would
     * otherwise right-align the cells and stripe odd rows grey.
     */
    static void assertStyledForJupyter(String html) {
        Matcher td = Pattern.compile("<td[^>]*>").matcher(html);
        while (td.find()) {
            assertTrue(td.group().contains("text-align:"), "a cell without its alignment: " + td.group());
        }
        String body = html.substring(Math.max(0, html.indexOf("<tbody>")));
        Matcher tr = Pattern.compile("<tr[^>]*>").matcher(body);
        while (tr.find()) {
            assertTrue(tr.group().contains("background:"), "a row without its background: " + tr.group());
        }
    }

    /** Characters of every MIME type in the bundle: what one output adds to the saved notebook. */
    static long size(DisplayData d) {
        long n = 0;
        for (MIMEType t : new MIMEType[] {MIMEType.TEXT_PLAIN, MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.IMAGE_SVG}) {
            Object o = d.getData(t);
            n += o == null ? 0 : o.toString().length();
        }
        return n;
    }

    /** Variance of the gray level over a grid of sampled pixels. */
    static double variance(BufferedImage img) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                int rgb = img.getRGB(x, y);
                double g = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3.0;
                sum += g;
                sq += g * g;
                n++;
            }
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }

    /** Whether some pixel is (close to) the given color. */
    static boolean hasColor(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs((p >> 16 & 255) - (rgb >> 16 & 255)) < 8 && Math.abs((p >> 8 & 255) - (rgb >> 8 & 255)) < 8
                        && Math.abs((p & 255) - (rgb & 255)) < 8) {
                    return true;
                }
            }
        }
        return false;
    }
}
