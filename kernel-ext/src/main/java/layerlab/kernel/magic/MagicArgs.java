package layerlab.kernel.magic;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** How a magic's argument text becomes words and paths. */
public final class MagicArgs {
    private MagicArgs() {}

    /** Splits on blanks; single or double quotes group words ("my folder/x.jar"). */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (cur.length() > 0 || any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0 || any) {
            out.add(cur.toString());
        }
        return out;
    }

    /** A path with {@code ~} as the user's home folder. */
    public static Path expand(String p) {
        if (p.equals("~")) {
            return Paths.get(System.getProperty("user.home"));
        }
        if (p.startsWith("~/")) {
            return Paths.get(System.getProperty("user.home"), p.substring(2));
        }
        return Paths.get(p);
    }
}
