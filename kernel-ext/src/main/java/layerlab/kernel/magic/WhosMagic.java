package layerlab.kernel.magic;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagicFunction;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import jdk.jshell.JShell;
import jdk.jshell.VarSnippet;
import layerlab.kernel.exec.CellError;
import layerlab.nn.Layer;
import layerlab.nn.Parameter;
import layerlab.tensor.Tensor;

/**
 * {@code %whos}: the notebook's variables, sorted by name — type, and for tensors shape, device and
 * memory, for layers the parameter count and memory (values and gradients), for arrays the length
 * and memory, for other objects a short value — with the total memory, as an HTML table and as text.
 * Memory counts float32 elements and array payloads only (no object headers); tensors that share
 * storage (views) are counted once each, so the total can overstate what is held.
 */
final class WhosMagic implements LineMagicFunction<Object> {
    static final String USAGE = "usage: %whos  (lists the notebook's variables: type, shape/size, device and memory)";

    /** One variable's row. {@code bytes} is -1 where the lab does not know. */
    record Row(String name, String type, String info, String device, long bytes) {}

    private final MagicContext kernel;

    WhosMagic(MagicContext kernel) {
        this.kernel = kernel;
    }

    @Override
    public Object execute(List<String> args) throws Exception {
        if (!args.isEmpty()) {
            throw new MagicUsageException("%whos takes no arguments, got '" + String.join(" ", args) + "'. " + USAGE);
        }
        List<Row> rows = rows();
        if (rows.isEmpty()) {
            System.out.println("%whos: no variables defined yet");
            return null;
        }
        DisplayData dd = new DisplayData(text(rows));
        dd.putHTML(html(rows));
        kernel.display(dd);
        return null;
    }

    private List<Row> rows() throws CellError {
        JShell js = kernel.jshell();
        List<Row> rows = new ArrayList<>();
        for (VarSnippet v : js.variables().toList()) {
            if (!js.status(v).isActive()) {
                continue;
            }
            // a bare variable name is a VAR_VALUE snippet: it yields the object and declares nothing
            Object value = kernel.evalSnippet(v.name());
            rows.add(row(v.name(), v.typeName(), value));
        }
        rows.sort(Comparator.comparing(r -> r.name().toLowerCase(Locale.ROOT)));
        return rows;
    }

    static Row row(String name, String declared, Object value) {
        if (value instanceof Tensor t) {
            long bytes = t.released() ? 0 : 4L * t.numel();
            return new Row(name, declared, "shape " + Arrays.toString(t.shape()) + (t.released() ? " (released)" : ""),
                    t.device().toString(), bytes);
        }
        if (value instanceof Layer layer) {
            long count = 0;
            long bytes = 0;
            for (Parameter p : layer.parameters()) {
                count += p.trainable() ? p.numel() : 0;
                bytes += 4L * p.numel() + (p.grad() != null && !p.grad().released() ? 4L * p.grad().numel() : 0);
            }
            return new Row(name, declared, String.format(Locale.ROOT, "%,d parameters", count), "", bytes);
        }
        if (value != null && value.getClass().isArray()) {
            int n = Array.getLength(value);
            Class<?> c = value.getClass().getComponentType();
            long each = c == byte.class || c == boolean.class ? 1 : c == short.class || c == char.class ? 2
                    : c == long.class || c == double.class ? 8 : 4; // int, float, and a reference (compressed)
            return new Row(name, declared, "length " + n, "", each * n);
        }
        return new Row(name, declared, shortValue(value), "", -1);
    }

    static String shortValue(Object value) {
        String s;
        try {
            s = String.valueOf(value);
        } catch (RuntimeException e) {
            s = "(toString failed: " + e.getClass().getSimpleName() + ")";
        }
        s = s.replaceAll("\\s+", " ");
        return s.length() > 40 ? s.substring(0, 39) + "…" : s;
    }

    static String bytes(long b) {
        if (b < 0) {
            return "";
        }
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static long total(List<Row> rows) {
        return rows.stream().mapToLong(r -> Math.max(0, r.bytes())).sum();
    }

    static String text(List<Row> rows) {
        String[] head = {"Variable", "Type", "Data/Info", "Device", "Memory"};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {r.name(), r.type(), r.info(), r.device(), bytes(r.bytes())});
        }
        int[] w = new int[head.length];
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            String[] c = cells.get(k);
            for (int i = 0; i < c.length; i++) {
                b.append(String.format("%-" + (w[i] + 2) + "s", c[i]));
            }
            b.setLength(b.toString().stripTrailing().length());
            b.append('\n');
            if (k == 0) {
                b.append("-".repeat(Arrays.stream(w).sum() + 2 * w.length - 2)).append('\n');
            }
        }
        return b.append("total memory: ").append(bytes(total(rows))).toString();
    }

    static String html(List<Row> rows) {
        StringBuilder b = new StringBuilder("<table style=\"border-collapse:collapse;font-family:monospace\">"
                + "<tr><th style=\"text-align:left\">Variable</th><th style=\"text-align:left\">Type</th>"
                + "<th style=\"text-align:left\">Data/Info</th><th style=\"text-align:left\">Device</th>"
                + "<th style=\"text-align:right\">Memory</th></tr>");
        for (Row r : rows) {
            b.append("<tr style=\"background:#fff\">");
            for (String c : new String[] {r.name(), r.type(), r.info(), r.device()}) {
                b.append("<td style=\"text-align:left;padding:0 8px\">").append(esc(c)).append("</td>");
            }
            b.append("<td style=\"text-align:right;padding:0 8px\">").append(esc(bytes(r.bytes()))).append("</td></tr>");
        }
        b.append("<tr><td colspan=\"4\" style=\"text-align:left;padding:0 8px\"><b>total memory</b></td>")
                .append("<td style=\"text-align:right;padding:0 8px\"><b>").append(esc(bytes(total(rows)))).append("</b></td></tr>");
        return b.append("</table>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
