package layerlab.kernel.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the browser says about a page's images. {@link #inject} adds a script to a copy of the
 * page that, on {@code load}, writes for every {@code <img>} whether it decoded
 * ({@code complete && naturalWidth > 0}) and where it sits on the page into a hidden
 * {@code <pre id="layerlab-image-report">}; {@link #parse} reads that back from the dumped DOM.
 */
final class ImageProbe {
    static final String REPORT_ID = "layerlab-image-report";

    /** One {@code <img>}: decode state, natural size, and its box in page coordinates (CSS px). */
    record Img(int index, boolean complete, int naturalWidth, int naturalHeight, int x, int y, int width, int height) {
        boolean decoded() {
            return complete && naturalWidth > 0 && naturalHeight > 0;
        }
    }

    /** The page's scroll size and its images in document order. */
    record Report(int pageWidth, int pageHeight, List<Img> images) {}

    private static final String SCRIPT = """
            <script>
            window.addEventListener('load', function () {
              var root = document.documentElement;
              var lines = ['PAGE ' + root.scrollWidth + ' ' + root.scrollHeight];
              Array.prototype.forEach.call(document.images, function (im, i) {
                var r = im.getBoundingClientRect();
                lines.push(['IMG', i, im.complete ? 1 : 0, im.naturalWidth, im.naturalHeight,
                  Math.round(r.left + window.scrollX), Math.round(r.top + window.scrollY),
                  Math.round(r.width), Math.round(r.height)].join(' '));
              });
              var pre = document.createElement('pre');
              pre.id = '%s';
              pre.style.display = 'none';
              pre.textContent = lines.join('\\n');
              document.body.appendChild(pre);
            });
            </script>
            """.formatted(REPORT_ID);

    private static final Pattern PRE = Pattern.compile("<pre id=\"" + REPORT_ID + "\"[^>]*>(.*?)</pre>", Pattern.DOTALL);

    private ImageProbe() {}

    /** The page with the probe script inserted before {@code </body>}. */
    static String inject(String html) {
        int at = html.lastIndexOf("</body>");
        if (at < 0) {
            throw new IllegalArgumentException("ImageProbe: expected an HTML page with </body>, got " + html.length() + " chars without one");
        }
        return html.substring(0, at) + SCRIPT + html.substring(at);
    }

    /** The report the probe wrote into {@code dom}; fails when the probe did not run. */
    static Report parse(String dom) {
        Matcher m = PRE.matcher(dom);
        if (!m.find()) {
            throw new IllegalStateException("ImageProbe: no <pre id=\"" + REPORT_ID + "\"> in the dumped DOM ("
                    + dom.length() + " chars): the load handler did not run");
        }
        int pageWidth = -1;
        int pageHeight = -1;
        List<Img> images = new ArrayList<>();
        for (String line : m.group(1).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("PAGE")) {
                pageWidth = Integer.parseInt(f[1]);
                pageHeight = Integer.parseInt(f[2]);
            } else if (f[0].equals("IMG")) {
                images.add(new Img(Integer.parseInt(f[1]), f[2].equals("1"), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                        Integer.parseInt(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8])));
            }
        }
        if (pageHeight < 0) {
            throw new IllegalStateException("ImageProbe: the report has no PAGE line: " + m.group(1));
        }
        return new Report(pageWidth, pageHeight, images);
    }
}
