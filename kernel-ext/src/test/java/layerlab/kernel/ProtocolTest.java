package layerlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel driven by a real Jupyter client: Debian's {@code jupyter_client} on
 * {@code /usr/bin/python3} runs {@code src/test/python/protocol_probe.py}, which starts the kernel
 * from a kernelspec and records every answer; the assertions are here.
 *
 * <p>Kernel: the installed kernelspec named by {@code -Dlayerlab.kernelspec=layerlab} (as
 * {@code ./lab test} does), else a temporary kernelspec that runs this module's classes with the
 * test's own JVM. No Python or no jupyter_client is a failure, not a skip.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolTest {
    private JsonObject obs;
    private String kernelLog;

    @BeforeAll
    void probe() throws Exception {
        Probe p = Probe.run("protocol_probe.py", 10);
        obs = p.obs;
        kernelLog = p.kernelLog;
        System.out.printf("kernel %s: start-up (launch -> kernel_info_reply) %.2f s%n", p.kernelName,
                obs.get("startup_seconds").getAsDouble());
    }

    // ------------------------------------------------------------------ helpers

    private JsonObject probe(String key) {
        JsonElement e = obs.get(key);
        assertNotNull(e, "no observation " + key);
        return e.getAsJsonObject();
    }

    private List<JsonObject> outputs(String key, String type) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : probe(key).getAsJsonArray("outputs")) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("type").getAsString().equals(type)) {
                out.add(o);
            }
        }
        return out;
    }

    private JsonObject reply(String key) {
        JsonElement r = probe(key).get("reply");
        assertTrue(r != null && r.isJsonObject(), key + ": no reply");
        return r.getAsJsonObject().getAsJsonObject("content");
    }

    private String result(String key) {
        List<JsonObject> r = outputs(key, "execute_result");
        assertEquals(1, r.size(), key + ": expected one execute_result, got " + probe(key));
        return r.get(0).getAsJsonObject("content").getAsJsonObject("data").get("text/plain").getAsString();
    }

    private String stdout(String key) {
        StringBuilder sb = new StringBuilder();
        for (JsonObject s : outputs(key, "stream")) {
            JsonObject c = s.getAsJsonObject("content");
            if (c.get("name").getAsString().equals("stdout")) {
                sb.append(c.get("text").getAsString());
            }
        }
        return sb.toString();
    }

    private JsonObject error(String key) {
        List<JsonObject> errs = outputs(key, "error");
        assertEquals(1, errs.size(), key + ": expected one error output, got " + probe(key));
        assertEquals("error", reply(key).get("status").getAsString(), key + ": reply status");
        return errs.get(0).getAsJsonObject("content");
    }

    private void assertOk(String key) {
        assertEquals("ok", reply(key).get("status").getAsString(), key + ": " + probe(key));
        assertTrue(outputs(key, "error").isEmpty(), key + ": unexpected error output " + probe(key));
    }

    private static String traceback(JsonObject error) {
        StringBuilder sb = new StringBuilder();
        error.getAsJsonArray("traceback").forEach(l -> sb.append(l.getAsString()).append('\n'));
        return sb.toString();
    }

    // ------------------------------------------------------------------ kernel info

    @Test
    void kernelInfoReplyCarriesStatusLanguageInfoBannerAndHelpLinks() {
        JsonObject c = obs.getAsJsonObject("kernel_info").getAsJsonObject("content");
        assertEquals("ok", c.get("status").getAsString());
        assertEquals("5.3", c.get("protocol_version").getAsString());
        JsonObject li = c.getAsJsonObject("language_info");
        assertEquals("java", li.get("name").getAsString());
        assertEquals(Runtime.version().toString(), li.get("version").getAsString(), "the kernel runs on the test's JDK");
        assertEquals("text/x-java-source", li.get("mimetype").getAsString());
        assertEquals(".java", li.get("file_extension").getAsString());
        assertEquals("text/x-java", li.get("codemirror_mode").getAsString());
        assertEquals("java", li.get("pygments_lexer").getAsString());
        assertTrue(c.get("banner").getAsString().contains("layerlab"));
        assertFalse(c.getAsJsonArray("help_links").isEmpty());
        assertEquals("message", probe("kernelspec").get("interrupt_mode").getAsString());
    }

    // ------------------------------------------------------------------ execute

    @Test
    void expressionValueIsAnExecuteResult() {
        assertEquals("3", result("expr"));
        assertOk("expr");
        assertEquals("text", result("string_value"));
    }

    @Test
    void multiStatementCellsDeclarationsAndRedefinitions() {
        assertEquals("hi x 11", result("multi"));
        assertEquals("hello y 7", result("redefine"), "int a and greet(String) redefined");
        assertTrue(outputs("declaration_only", "execute_result").isEmpty(), "a declaration shows no value");
        assertOk("declaration_only");
    }

    @Test
    void startImportsLetACellMakeATensor() {
        assertEquals("[2, 3, 4, 4]", result("tensor"));
    }

    @Test
    void outputIsStreamedWhileTheCellRuns() {
        List<JsonObject> streams = outputs("stream", "stream");
        assertEquals(3, streams.size(), "one stream message per line printed a second apart: " + streams);
        double end = probe("stream").getAsJsonObject("reply").get("t").getAsDouble();
        for (int i = 0; i < 3; i++) {
            assertEquals("tick " + i + "\n", streams.get(i).getAsJsonObject("content").get("text").getAsString());
        }
        double first = streams.get(0).get("t").getAsDouble();
        double second = streams.get(1).get("t").getAsDouble();
        assertTrue(end - first > 2.0, "first line arrived " + (end - first) + " s before the cell ended; expected > 2 s");
        assertTrue(second - first > 0.7, "lines arrived " + (second - first) + " s apart; expected about 1 s");
    }

    @Test
    void stderrCarriesOnlyWhatTheCellPrinted() {
        List<String> err = new ArrayList<>();
        for (String key : obs.keySet()) {
            JsonElement e = obs.get(key);
            if (!e.isJsonObject() || !e.getAsJsonObject().has("outputs")) {
                continue;
            }
            for (JsonObject s : outputs(key, "stream")) {
                JsonObject c = s.getAsJsonObject("content");
                if (c.get("name").getAsString().equals("stderr")) {
                    err.add(key + ": " + c.get("text").getAsString());
                }
            }
        }
        assertEquals(List.of("stderr: to stderr\n"), err);
        assertEquals("to stdout\n", stdout("stderr"));
    }

    @Test
    void libraryLoggingGoesToTheLogFileNotToTheCell() {
        assertOk("slf4j");
        assertTrue(outputs("slf4j", "stream").isEmpty(), "logging reached the notebook: " + probe("slf4j"));
        assertTrue(kernelLog.contains("a library warning, marker 7f3a"), "SLF4J message not in the kernel log");
        assertTrue(kernelLog.contains("a JUL message, marker 9c1e"), "JUL message not in the kernel log");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void compileErrorIsAnErrorOutputWithTheJavaMessage() {
        JsonObject e = error("compile_error");
        assertEquals("CompilationError", e.get("ename").getAsString());
        assertTrue(e.get("evalue").getAsString().contains("incompatible types"), e.toString());
        String tb = traceback(e);
        assertTrue(tb.contains("int bad = \"s\";") && tb.contains("^^^"), tb);
        String tb5 = traceback(error("compile_error_line"));
        assertTrue(tb5.contains("   5 | int bad2 = \"s\";"), "line number in the cell, not in the snippet:\n" + tb5);
    }

    @Test
    void exceptionIsAnErrorOutputWithATrimmedStackTrace() {
        JsonObject e = error("exception");
        assertEquals("java.lang.NumberFormatException", e.get("ename").getAsString());
        assertTrue(e.get("evalue").getAsString().contains("\"abc\""), e.toString());
        String tb = traceback(e);
        assertTrue(tb.contains("at java.base/java.lang.Integer.parseInt"), tb);
        // a cell frame names the cell and line the code was written on (parse: In [n], line 1)
        assertTrue(java.util.regex.Pattern.compile("at parse\\(In \\[\\d+\\] line 1, cell snippet #\\d+\\)").matcher(tb).find(), tb);
        for (String internal : List.of("jdk.jshell", "layerlab.kernel", "java.lang.reflect", "jdk.internal.reflect")) {
            assertFalse(tb.contains(internal), "traceback shows " + internal + " frames:\n" + tb);
        }
    }

    // ------------------------------------------------------------------ a cell compiled in blocks

    @Test
    void aCellsStatementsRunTogetherAndItsDeclarationsStayVisibleToLaterCells() {
        assertEquals("ba=13\n", stdout("batch"));
        assertEquals("4", result("batch")); // "s132".length(): the last expression is still shown
        assertEquals("13 132 s132", result("batch_later"));
        String log = kernelLog.lines().filter(l -> l.contains("cell code from line 1: 10 units ran as")).findFirst().orElse("");
        // 4 declarations, the last expression, and the 5 statements between them in 2 blocks
        assertTrue(log.contains("10 units ran as 6 snippets"), "the batch cell was not compiled in blocks:\n" + log);
    }

    @Test
    void aRuntimeErrorMidCellNamesItsCellLineAndStopsTheRestOfTheBlock() {
        JsonObject e = error("batch_runtime_error");
        assertEquals("java.lang.NumberFormatException", e.get("ename").getAsString());
        String tb = traceback(e);
        assertTrue(java.util.regex.Pattern.compile("at <cell>\\(In \\[\\d+\\] line 5, cell snippet #\\d+\\)").matcher(tb).find(),
                "the frame should name cell line 5 (Integer.parseInt):\n" + tb);
        assertEquals("2", result("batch_runtime_after"), "the statements before the error ran, those after it did not");
    }

    @Test
    void aCompileErrorMidCellIsReportedOnItsLineAfterTheStatementsBeforeItRan() {
        JsonObject e = error("batch_compile_error");
        assertEquals("CompilationError", e.get("ename").getAsString());
        String tb = traceback(e);
        assertTrue(tb.contains("   3 | bd = \"s\";") && tb.contains("^"), tb);
        assertFalse(tb.contains("   2 |") || tb.contains("   4 |"), "only the bad line is shown:\n" + tb);
        // as when each statement was its own snippet: bd++ on line 2 ran, line 4 did not
        assertEquals("1", result("batch_compile_after"));
    }

    @Test
    void expressionsThatAreNoStatementsStillRunMidCell() {
        assertEquals("2", result("batch_expression_statements"));
    }

    @Test
    void aTwoHundredLineLabCellRunsAsOneSnippetPerDeclarationPlusOnePerRunOfStatements() {
        assertOk("batch_lab200");
        assertEquals(201, obs.get("batch_lab200_lines").getAsInt());
        assertTrue(stdout("batch_lab200").contains("group 19: "), probe("batch_lab200").toString());
        assertEquals("3", result("batch_lab200"));
        // 20 groups of 4 declarations and 4 statements, then the shown expression:
        // 161 units; without blocks 161 snippets, with them 20 × (4 + 1) + 1
        assertTrue(kernelLog.contains("cell code from line 1: 161 units ran as 101 snippets"),
                "the lab cell was not compiled in blocks; kernel log:\n"
                        + kernelLog.lines().filter(l -> l.contains("units ran as")).reduce("", (a, b) -> a + b + "\n"));
        JsonObject p = probe("batch_lab200");
        double seconds = p.getAsJsonObject("reply").get("t").getAsDouble() - p.get("sent").getAsDouble();
        System.out.printf("a 201-line lab cell: %.2f s from execute_request to reply%n", seconds);
    }

    @Test
    void kernelKeepsWorkingAfterErrors() {
        assertEquals("42", result("recovery"));
        assertEquals("2", result("final"));
    }

    @Test
    void aFailedCellAbortsTheCellsQueuedBehindItUnlessStopOnErrorIsOff() {
        assertEquals("java.lang.IllegalStateException", error("abort_first").get("ename").getAsString());
        assertEquals("aborted", reply("abort_queued").get("status").getAsString());
        assertTrue(outputs("abort_queued", "execute_result").isEmpty(), "an aborted cell ran: " + probe("abort_queued"));
        error("noabort_first");
        assertEquals("queued cell ran", result("noabort_queued"));
    }

    // ------------------------------------------------------------------ interrupt

    @ParameterizedTest
    @ValueSource(strings = {"busy", "sleep", "library"})
    void interruptStopsTheCellWithinTwoSecondsAndLeavesNoThread(String kind) {
        JsonObject e = error("interrupt_" + kind);
        assertEquals("Interrupted", e.get("ename").getAsString());
        assertTrue(e.get("evalue").getAsString().contains("interrupted"), e.toString());
        double seconds = probe("interrupt_" + kind).get("stop_seconds").getAsDouble();
        assertTrue(seconds < 2.0, kind + ": cell ended " + seconds + " s after the interrupt");
        assertEquals("[]", result("threads_after_" + kind), "threads still running cell or Parallel code");
        assertEquals("42", result("after_" + kind));
    }

    // ------------------------------------------------------------------ signatures

    private void assertRejectedThenServed(String key, String channelName) {
        JsonObject o = probe(key);
        String bad = o.get("bad_id").getAsString();
        String good = o.get("good_id").getAsString();
        int goodReplies = 0;
        for (JsonElement r : o.getAsJsonArray("replies")) {
            String parent = r.getAsJsonObject().get("parent_id").getAsString();
            assertFalse(parent.equals(bad), channelName + ": the kernel answered a message it should have rejected");
            if (parent.equals(good)) {
                goodReplies++;
                assertEquals("kernel_info_reply", r.getAsJsonObject().get("type").getAsString());
            }
        }
        assertEquals(1, goodReplies, channelName + ": the valid message after the rejected one was not answered: " + o);
    }

    @Test
    void wrongSignatureIsRejectedAndTheNextMessageAnswered() {
        assertRejectedThenServed("bad_signature", "shell");
        assertRejectedThenServed("control_bad_signature", "control");
        assertEquals("still here", result("after_bad_signatures"));
    }

    @Test
    void missingSignatureIsRejectedAndTheNextMessageAnswered() {
        assertRejectedThenServed("missing_signature", "shell");
    }

    // ------------------------------------------------------------------ completion, inspection

    @Test
    void completionOfSystemOutPri() {
        JsonObject c = obs.getAsJsonObject("complete").getAsJsonObject("content");
        List<String> matches = new ArrayList<>();
        c.getAsJsonArray("matches").forEach(m -> matches.add(m.getAsString()));
        assertTrue(matches.containsAll(List.of("print", "printf", "println")), matches.toString());
        assertEquals(11, c.get("cursor_start").getAsInt());
        assertEquals(14, c.get("cursor_end").getAsInt());
        JsonObject m = obs.getAsJsonObject("complete_multi").getAsJsonObject("content");
        assertEquals(22, m.get("cursor_start").getAsInt(), "completion in the second snippet of a cell");
        assertTrue(m.getAsJsonArray("matches").toString().contains("println"));
    }

    @Test
    void inspectShowsTheSignature() {
        JsonObject c = obs.getAsJsonObject("inspect").getAsJsonObject("content");
        assertTrue(c.get("found").getAsBoolean());
        String text = c.getAsJsonObject("data").get("text/plain").getAsString();
        assertTrue(text.contains("void PrintStream.println(String x)"), text);
        JsonObject mid = obs.getAsJsonObject("inspect_mid").getAsJsonObject("content");
        assertTrue(mid.getAsJsonObject("data").get("text/plain").getAsString().contains("Math.max(int a, int b)"));
        JsonObject var = obs.getAsJsonObject("inspect_var").getAsJsonObject("content");
        assertTrue(var.getAsJsonObject("data").get("text/plain").getAsString().startsWith("Tensor x = Tensor[2, 3, 4, 4]"), var.toString());
    }

    @Test
    void isCompleteSaysIncompleteWithAnIndentForAnOpenBrace() {
        JsonObject inc = obs.getAsJsonObject("is_complete_incomplete").getAsJsonObject("content");
        assertEquals("incomplete", inc.get("status").getAsString());
        assertEquals("    ", inc.get("indent").getAsString());
        JsonObject nested = obs.getAsJsonObject("is_complete_nested").getAsJsonObject("content");
        assertEquals("        ", nested.get("indent").getAsString());
        assertEquals("complete", obs.getAsJsonObject("is_complete_complete").getAsJsonObject("content").get("status").getAsString());
    }

    // ------------------------------------------------------------------ display

    @Test
    void displayAndUpdateDisplayShareAnId() {
        List<JsonObject> d = outputs("display", "display_data");
        List<JsonObject> u = outputs("display", "update_display_data");
        assertEquals(1, d.size());
        assertEquals(1, u.size());
        JsonObject dc = d.get(0).getAsJsonObject("content");
        JsonObject uc = u.get(0).getAsJsonObject("content");
        assertEquals("first", dc.getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals("second", uc.getAsJsonObject("data").get("text/plain").getAsString());
        String id = dc.getAsJsonObject("transient").get("display_id").getAsString();
        assertFalse(id.isEmpty());
        assertEquals(id, uc.getAsJsonObject("transient").get("display_id").getAsString());
        assertEquals(id, result("display"), "display(...) returns the display id");
    }

    @Test
    void bufferedImageRendersAsPng() {
        JsonObject data = outputs("image", "execute_result").get(0).getAsJsonObject("content").getAsJsonObject("data");
        byte[] png = Base64.getDecoder().decode(data.get("image/png").getAsString());
        assertEquals((byte) 0x89, png[0]);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        assertEquals("BufferedImage 4×3", data.get("text/plain").getAsString());
    }

    @Test
    void displayDataRendersAsItself() {
        JsonObject data = outputs("display_data", "execute_result").get(0).getAsJsonObject("content").getAsJsonObject("data");
        assertEquals("<b>bold</b>", data.get("text/html").getAsString());
        assertEquals("plain", data.get("text/plain").getAsString());
    }

    @Test
    void displayDataRenderableRendersItself() {
        JsonObject data = outputs("renderable", "execute_result").get(0).getAsJsonObject("content").getAsJsonObject("data");
        assertEquals("<i>fancy</i>", data.get("text/html").getAsString());
    }

    @Test
    void systemInAsksTheFrontEnd() {
        JsonObject req = probe("stdin_request");
        assertEquals("input_request", req.get("type").getAsString());
        assertEquals(req.get("sent_id").getAsString(), req.get("parent").getAsString());
        assertEquals("typed text!", result("stdin"));
    }

    @Test
    void shutdownRequestEndsTheKernelProcess() {
        double s = obs.get("shutdown_seconds").getAsDouble();
        assertTrue(s < 3.0, "the kernel took " + s + " s to exit after shutdown_request (the client kills it after 5 s)");
    }

    // ------------------------------------------------------------------ magics

    @Test
    void classpathAddsAFolderUnderHome() {
        assertTrue(result("classpath_setup").endsWith(" 0"), "javac in the cell failed: " + probe("classpath_setup"));
        assertOk("classpath_add");
        assertTrue(stdout("classpath_add").startsWith("added to the class path: " + System.getProperty("user.home")), stdout("classpath_add"));
        assertEquals("hi from the class path", result("classpath_use"));
    }

    private static final String TIME = "[0-9.]+ (ns|µs|ms|s)";

    @Test
    void timeitReportsMedianAndSpreadInIPythonsStyle() {
        assertOk("timeit");
        assertTrue(stdout("timeit").matches(TIME + " ± " + TIME
                + " per loop \\(median ± std\\. dev\\. of 3 runs, 100 loops each\\)\n"), stdout("timeit"));
        assertTrue(stdout("timeit_auto").matches(TIME + " ± " + TIME
                + " per loop \\(median ± std\\. dev\\. of 7 runs, [0-9]+ loops each\\)\n"), stdout("timeit_auto"));
        assertTrue(stdout("timeit_statement").matches("(?s).*of 2 runs, [0-9]+ loops each\\)\n"), stdout("timeit_statement"));
        assertTrue(stdout("timeit_cell").matches("(?s).*of 2 runs, 5 loops each\\)\n"), stdout("timeit_cell"));
        assertTrue(stdout("timeit_compact").endsWith("of 2 runs, 10 loops each)\n"), stdout("timeit_compact"));
        assertTrue(error("timeit_bad_option").get("evalue").getAsString().contains("unknown option -q"));
        JsonObject bad = error("timeit_bad");
        assertEquals("UsageError", bad.get("ename").getAsString());
        assertTrue(bad.get("evalue").getAsString().contains("usage: %timeit"), bad.toString());
    }

    @Test
    void unknownMagicIsAnErrorListingTheAvailableOnes() {
        JsonObject e = error("unknown_magic");
        assertEquals("UsageError", e.get("ename").getAsString());
        String v = e.get("evalue").getAsString();
        for (String s : List.of("%nosuchmagic", "%classpath", "%timeit", "%seed", "%device", "%%timeit")) {
            assertTrue(v.contains(s), v);
        }
    }

    @Test
    void classpathWithAMissingPathIsAClearError() {
        JsonObject e = error("classpath_missing");
        String v = e.get("evalue").getAsString();
        assertTrue(v.contains("no such file or folder: " + new File("/no/such/place/lib.jar").getPath()), v);
        assertTrue(v.contains("usage: %classpath"), v);
    }

    @Test
    void seedSetsTheLabsSeedsAndRejectsBadArguments() {
        assertEquals("7", result("seed"));
        assertTrue(stdout("seed").contains("seed set to 7"));
        JsonObject e = error("seed_bad");
        assertTrue(e.get("evalue").getAsString().contains("'seven'") && e.get("evalue").getAsString().contains("usage: %seed"));
    }

    @Test
    void deviceListsAndSelectsTheBackends() {
        String list = stdout("device");
        assertTrue(list.contains("* cpu"), list);
        assertTrue(list.contains("  opencl — "), list);
        assertTrue(stdout("device_opencl").startsWith("device: opencl"), stdout("device_opencl"));
        assertEquals("OPENCL", result("device_moved"));
        assertTrue(stdout("device_cpu").startsWith("device: cpu"));
        JsonObject e = error("device_bad");
        assertTrue(e.get("evalue").getAsString().contains("unknown device 'tpu'"), e.toString());
    }

    @Test
    void layersMagicShowsEveryLayerOutputAndKeepsTheValue() {
        List<JsonObject> shown = outputs("layers", "display_data");
        assertEquals(1, shown.size(), probe("layers").toString());
        JsonObject data = shown.get(0).getAsJsonObject("content").getAsJsonObject("data");
        String text = data.get("text/plain").getAsString();
        assertTrue(text.contains("0: ReLU()") && text.contains("1: MaxPool(kernel=2, stride=2)"), text);
        assertTrue(data.has("text/html"), data.keySet().toString());
        assertEquals("8", result("layers"));
        assertTrue(stdout("layers_none").contains("no layer ran"), stdout("layers_none"));
        assertEquals("42", result("layers_none"));
        assertTrue(error("layers_bad").get("evalue").getAsString().contains("usage: %%layers"), probe("layers_bad").toString());
    }
}
