package layerlab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw doc comment as plain text for the Notebook's pager: inline tags and HTML made readable.
 * Detail 0 keeps the first paragraph of the description; detail 1 keeps all of it and the
 * {@code @param}/{@code @return}/{@code @throws} tags.
 */
final class JavadocText {
    private static final Pattern INLINE = Pattern.compile("\\{@(code|literal|link|linkplain|value)\\s*([^{}]*(?:\\{[^{}]*\\}[^{}]*)*)\\}");

    private JavadocText() {}

    static String render(String comment, int detail) {
        if (comment == null || comment.isBlank()) {
            return "";
        }
        String[] split = splitTags(comment);
        String description = plain(split[0]).strip();
        if (detail <= 0) {
            int para = description.indexOf("\n\n");
            return para > 0 ? description.substring(0, para).strip() : description;
        }
        StringBuilder b = new StringBuilder(description);
        for (String tag : tags(split[1])) {
            String t = plain(tag).strip().replaceAll("\\s+", " ");
            if (t.startsWith("@param ")) {
                b.append(b.length() > 0 ? "\n" : "").append("  param  ").append(t.substring(7));
            } else if (t.startsWith("@return ")) {
                b.append("\n  returns ").append(t.substring(8));
            } else if (t.startsWith("@throws ") || t.startsWith("@exception ")) {
                b.append("\n  throws ").append(t.substring(t.indexOf(' ') + 1));
            } else if (t.startsWith("@see ")) {
                b.append("\n  see    ").append(t.substring(5));
            }
        }
        return b.toString().strip();
    }

    /** [description, block tags] — the tags start at the first line that begins with '@'. */
    private static String[] splitTags(String comment) {
        Matcher m = Pattern.compile("(?m)^\\s*@[a-zA-Z]").matcher(comment);
        return m.find() ? new String[] {comment.substring(0, m.start()), comment.substring(m.start())}
                : new String[] {comment, ""};
    }

    private static List<String> tags(String block) {
        List<String> out = new ArrayList<>();
        for (String part : block.split("(?m)^\\s*(?=@[a-zA-Z])")) {
            if (!part.isBlank()) {
                out.add(part);
            }
        }
        return out;
    }

    /** Drops the space javac leaves at the start of each comment line, except inside {@code <pre>}. */
    private static String unindent(String s) {
        StringBuilder b = new StringBuilder();
        boolean pre = false;
        for (String line : s.split("\n", -1)) {
            String l = pre ? line : line.stripLeading();
            if (line.toLowerCase(java.util.Locale.ROOT).contains("<pre>")) {
                pre = true;
            }
            if (line.toLowerCase(java.util.Locale.ROOT).contains("</pre>")) {
                pre = false;
            }
            b.append(b.length() > 0 ? "\n" : "").append(l);
        }
        return b.toString();
    }

    /** Inline tags to their text, {@code <p>} to a blank line, other HTML tags dropped, entities decoded. */
    static String plain(String s) {
        Matcher m = INLINE.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String body = m.group(2).strip();
            String text = switch (m.group(1)) {
                case "link", "linkplain" -> {
                    int sp = body.indexOf(' ');
                    yield sp > 0 ? body.substring(sp + 1) : body.replace('#', '.').replaceFirst("^\\.", "");
                }
                default -> body;
            };
            m.appendReplacement(b, Matcher.quoteReplacement(text));
        }
        m.appendTail(b);
        String t = unindent(b.toString())
                .replaceAll("(?i)\\s*<p>\\s*", "\n\n")
                .replaceAll("(?i)<li>", "\n  - ")
                .replaceAll("(?i)</?pre>", "\n")
                .replaceAll("<[^>]+>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&nbsp;", " ");
        return t.replaceAll("\n{3,}", "\n\n");
    }
}
