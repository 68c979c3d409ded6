package layerlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Typing help and the variable view through a real jupyter_client ({@code assist_probe.py}):
 * Javadoc in inspect replies, completion ranking and prefixes, {@code %whos}, and the interrupt
 * message of a training loop that records its step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AssistTest {
    private JsonObject obs;

    @BeforeAll
    void probe() throws Exception {
        obs = Probe.run("assist_probe.py", 6).obs;
    }

    private String inspectText(String key) {
        JsonObject r = obs.getAsJsonObject(key);
        assertTrue(r.get("found").getAsBoolean(), key + ": nothing found: " + r);
        return r.getAsJsonObject("data").get("text/plain").getAsString();
    }

    private List<String> matches(String key) {
        List<String> out = new ArrayList<>();
        obs.getAsJsonObject(key).getAsJsonArray("matches").forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private String allText(String key) {
        StringBuilder b = new StringBuilder();
        for (JsonElement e : obs.getAsJsonObject(key).getAsJsonArray("outputs")) {
            b.append(e.getAsJsonObject().getAsJsonObject("content")).append('\n');
        }
        return b.toString();
    }

    @Test
    void inspectOfAConstructorShowsItsJavadoc() {
        String t = inspectText("inspect_maxpool");
        assertTrue(t.contains("MaxPool(int kernel)"), t);
        assertTrue(t.contains("Non-overlapping k×k windows"), "MaxPool(int)'s Javadoc missing:\n" + t);
    }

    @Test
    void inspectOfAClassNameShowsTheClassJavadocAndConstructors() {
        String t = inspectText("inspect_relu");
        assertTrue(t.contains("ReLU(x) = max(0, x)"), t);
        assertTrue(!t.contains("Backward: dX"), "detail 0 keeps only the first paragraph:\n" + t);
        String more = inspectText("inspect1_relu");
        assertTrue(more.contains("Backward: dX = dY where X > 0"), "detail 1 shows all of the description:\n" + more);
    }

    @Test
    void inspectOfMethodsShowsTheirJavadoc() {
        String t = inspectText("inspect_reshape");
        assertTrue(t.contains("reshape(int... newShape)"), t);
        assertTrue(t.contains("The same storage seen with another shape"), t);
        String r = inspectText("inspect_randn");
        assertTrue(r.contains("randn("), r);
        assertTrue(r.lines().count() > 2, "randn: signatures without Javadoc:\n" + r);
        assertTrue(r.contains("is 2×3, as in NumPy") && !r.contains("\n (%seed"), "comment lines joined without javac's indent:\n" + r);
    }

    @Test
    void detailLevelOneShowsMoreThanZero() {
        for (String k : List.of("maxpool", "relu", "randn", "reshape")) {
            String zero = inspectText("inspect_" + k);
            String one = inspectText("inspect1_" + k);
            assertTrue(one.length() >= zero.length(), k + ": detail 1 shorter than 0");
        }
        assertTrue(inspectText("inspect1_relu").length() > inspectText("inspect_relu").length());
    }

    @Test
    void memberCompletionListsTheTypesOwnMembersBeforeObjects() {
        List<String> m = matches("complete_member");
        assertTrue(m.contains("reshape") && m.contains("wait") && m.contains("hashCode"), m.toString());
        int lastOwn = -1;
        int firstObject = Integer.MAX_VALUE;
        for (int i = 0; i < m.size(); i++) {
            if (CodeAssist.OBJECT_MEMBERS.contains(m.get(i))) {
                firstObject = Math.min(firstObject, i);
            } else {
                lastOwn = i;
            }
        }
        assertTrue(lastOwn < firstObject, "Object's members must come last: " + m);
        assertEquals(m.size(), m.stream().distinct().count(), "duplicates (overloads): " + m);
        assertTrue(m.stream().noneMatch(s -> s.contains("(")), m.toString());
    }

    @Test
    void completionMatchesAllShareTheTypedPrefixAtTheReplyRange() {
        JsonObject r = obs.getAsJsonObject("complete_prefix");
        String code = "x.re";
        int start = r.get("cursor_start").getAsInt();
        int end = r.get("cursor_end").getAsInt();
        assertEquals(code.length(), end);
        assertEquals(2, start, "the range must cover the typed 're'");
        List<String> m = matches("complete_prefix");
        assertFalse(m.isEmpty());
        assertTrue(m.contains("reshape"), m.toString());
        assertTrue(m.stream().allMatch(s -> s.startsWith(code.substring(start, end))), m.toString());
    }

    @Test
    void whosListsTensorsLayersPrimitivesAndArraysWithMemory() {
        String all = allText("whos");
        assertTrue(all.contains("text/html"), "no HTML table: " + all);
        JsonObject dd = null;
        for (JsonElement e : obs.getAsJsonObject("whos").getAsJsonArray("outputs")) {
            JsonObject c = e.getAsJsonObject().getAsJsonObject("content");
            if (c.has("data")) {
                dd = c.getAsJsonObject("data");
            }
        }
        assertTrue(dd != null, all);
        String text = dd.get("text/plain").getAsString();
        String xRow = text.lines().filter(l -> l.startsWith("x ")).findFirst().orElse("");
        assertTrue(xRow.contains("Tensor") && xRow.contains("shape [") && xRow.contains("shape [2, 3]") && xRow.contains(" CPU "), text);
        assertTrue(xRow.matches(".*\\d+ B.*"), "tensor memory missing: " + xRow);
        String linRow = text.lines().filter(l -> l.startsWith("lin ")).findFirst().orElse("");
        assertTrue(linRow.contains("15 parameters"), "Linear(4, 3): 12 weights + 3 biases: " + linRow);
        assertTrue(text.lines().noneMatch(l -> l.startsWith("$1 ")),
                "the kernel's own warm-up must not leave a variable in the student's list: " + text);
        String nRow = text.lines().filter(l -> l.startsWith("n ")).findFirst().orElse("");
        assertTrue(nRow.contains("int") && nRow.contains("7"), nRow);
        String arrRow = text.lines().filter(l -> l.startsWith("arr ")).findFirst().orElse("");
        assertTrue(arrRow.contains("length 10") && arrRow.contains("40 B"), arrRow);
        assertTrue(text.contains("total memory"), text);
        List<String> names = text.lines().skip(2).takeWhile(l -> !l.startsWith("total")).map(l -> l.split(" ")[0]).toList();
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(String.CASE_INSENSITIVE_ORDER);
        assertEquals(sorted, names, "rows sorted by name");
        assertTrue(dd.get("text/html").getAsString().contains("<table"), all);
        assertTrue(allText("lsmagic").contains("%whos"), allText("lsmagic"));
    }

    @Test
    void anInterruptedTrainingLoopSaysWhereItStopped() {
        String all = allText("interrupt_training");
        assertTrue(all.contains("training stopped at step 7 of 155"), all);
        assertTrue(all.contains("`net` is partly trained"), all);
        String after = allText("after_training");
        assertTrue(after.contains("false"), "a loop that ended normally leaves no activity: " + after);
        String plain = allText("interrupt_plain");
        assertTrue(plain.contains("Interrupted"), plain);
        assertFalse(plain.contains("stopped at step"), "a cell without the hook gives the plain message: " + plain);
    }
}
