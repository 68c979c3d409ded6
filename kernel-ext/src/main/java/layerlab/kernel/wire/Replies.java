package layerlab.kernel.wire;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;

/** The content of the kernel's replies and outputs (messaging protocol 5.3), built from plain values. */
public final class Replies {
    private Replies() {}

    /** {@code {"status": "ok"}}, the start of every successful reply. */
    public static JsonObject ok() {
        JsonObject o = new JsonObject();
        o.addProperty("status", "ok");
        return o;
    }

    static JsonObject kernelInfo(Kernel kernel, String implementationVersion) {
        JsonObject c = ok();
        c.addProperty("protocol_version", Wire.PROTOCOL_VERSION);
        c.addProperty("implementation", "layerlab");
        c.addProperty("implementation_version", implementationVersion);
        LanguageInfo li = kernel.getLanguageInfo();
        JsonObject lang = new JsonObject();
        lang.addProperty("name", li.getName());
        lang.addProperty("version", li.getVersion());
        lang.addProperty("mimetype", li.getMimetype());
        lang.addProperty("file_extension", li.getFileExtension());
        lang.addProperty("pygments_lexer", li.getPygmentsLexer());
        lang.addProperty("codemirror_mode", String.valueOf(li.getCodemirrorMode()));
        lang.addProperty("nbconvert_exporter", li.getNbconvertExporter());
        c.add("language_info", lang);
        c.addProperty("banner", kernel.getBanner());
        JsonArray links = new JsonArray();
        for (LanguageInfo.Help h : kernel.getHelpLinks()) {
            JsonObject l = new JsonObject();
            l.addProperty("text", h.getText());
            l.addProperty("url", h.getUrl());
            links.add(l);
        }
        c.add("help_links", links);
        c.addProperty("debugger", false);
        return c;
    }

    /** A MIME bundle as display_data and execute_result carry it: data, metadata, transient. */
    public static JsonObject bundle(DisplayData data) {
        JsonObject tree = Wire.GSON.toJsonTree(data).getAsJsonObject();
        JsonObject out = new JsonObject();
        out.add("data", tree.has("data") ? tree.get("data") : new JsonObject());
        JsonElement md = tree.get("metadata");
        out.add("metadata", md == null || md.isJsonNull() ? new JsonObject() : md);
        JsonElement tr = tree.get("transient");
        out.add("transient", tr == null || tr.isJsonNull() ? new JsonObject() : tr);
        return out;
    }

    /** ename, evalue, traceback: the error output, and (with a status) the error reply. */
    static JsonObject error(Outcome.Failed f) {
        JsonObject o = new JsonObject();
        o.addProperty("ename", f.ename());
        o.addProperty("evalue", f.evalue());
        JsonArray tb = new JsonArray();
        f.traceback().forEach(tb::add);
        o.add("traceback", tb);
        return o;
    }

    /** complete_reply; {@code options} null means no completions at {@code cursor}. */
    static JsonObject complete(ReplacementOptions options, int cursor) {
        JsonObject r = ok();
        JsonArray matches = new JsonArray();
        int start = cursor;
        int end = cursor;
        if (options != null) {
            options.getReplacements().forEach(matches::add);
            start = options.getSourceStart();
            end = options.getSourceEnd();
        }
        r.add("matches", matches);
        r.addProperty("cursor_start", start);
        r.addProperty("cursor_end", end);
        r.add("metadata", new JsonObject());
        return r;
    }

    /** inspect_reply; {@code found} null means nothing was found. */
    static JsonObject inspect(DisplayData found) {
        JsonObject r = ok();
        r.addProperty("found", found != null);
        r.add("data", found == null ? new JsonObject() : bundle(found).get("data"));
        r.add("metadata", new JsonObject());
        return r;
    }

    /** is_complete_reply from {@link Kernel#isComplete}'s answer. */
    static JsonObject isComplete(String answer) {
        JsonObject r = new JsonObject();
        if (Kernel.COMPLETE.equals(answer)) {
            r.addProperty("status", "complete");
        } else if (Kernel.INVALID.equals(answer)) {
            r.addProperty("status", "invalid");
        } else if (Kernel.UNKNOWN.equals(answer)) {
            r.addProperty("status", "unknown");
        } else {
            r.addProperty("status", "incomplete");
            r.addProperty("indent", answer);
        }
        return r;
    }
}
