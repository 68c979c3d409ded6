package layerlab.kernel.wire;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The connection file Jupyter writes for a kernel (ports, transport, key). */
public record ConnectionInfo(String transport, String ip, int shellPort, int controlPort, int iopubPort,
                             int stdinPort, int hbPort, String signatureScheme, String key) {

    public static ConnectionInfo read(Path file) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        return new ConnectionInfo(
                str(o, "transport", "tcp"), str(o, "ip", "127.0.0.1"),
                o.get("shell_port").getAsInt(), o.get("control_port").getAsInt(),
                o.get("iopub_port").getAsInt(), o.get("stdin_port").getAsInt(), o.get("hb_port").getAsInt(),
                str(o, "signature_scheme", "hmac-sha256"), str(o, "key", ""));
    }

    private static String str(JsonObject o, String name, String fallback) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : fallback;
    }

    /** ZMQ address of a port ("ipc" transport uses ip-port as the path, as Jupyter does). */
    public String address(int port) {
        return "ipc".equals(transport) ? "ipc://" + ip + "-" + port : transport + "://" + ip + ":" + port;
    }
}
