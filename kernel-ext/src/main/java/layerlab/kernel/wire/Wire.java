package layerlab.kernel.wire;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Jupyter wire format (messaging protocol 5.3): framing, JSON parts and the HMAC signature.
 *
 * <p>Written for this kernel instead of the base library's {@code JupyterSocket}, which throws
 * out of its shell thread on a bad signature (and so stops answering for good) and compares
 * signatures with {@code String.equals}. Here a message that fails verification is rejected with
 * a {@link BadMessageException}; the caller logs it and goes on. Signatures are compared in
 * constant time ({@link MessageDigest#isEqual}).
 */
public final class Wire {
    public static final String PROTOCOL_VERSION = "5.3";
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");
    public static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private final Mac mac;          // null: no signing (empty key)
    private final String session = UUID.randomUUID().toString();

    /** {@code scheme} is the connection file's signature_scheme, e.g. "hmac-sha256". */
    public Wire(String scheme, String key) throws GeneralSecurityException {
        if (key == null || key.isEmpty()) {
            this.mac = null;
        } else {
            String algorithm = switch (scheme == null ? "hmac-sha256" : scheme) {
                case "hmac-sha256" -> "HmacSHA256";
                case "hmac-sha1" -> "HmacSHA1";
                case "hmac-md5" -> "HmacMD5";
                case "hmac-sha512" -> "HmacSHA512";
                default -> throw new GeneralSecurityException("unsupported signature scheme " + scheme);
            };
            this.mac = Mac.getInstance(algorithm);
            this.mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
        }
    }

    /** One decoded message. {@code header} etc. are parsed; {@code rawHeader} is kept for parents. */
    public record Message(List<byte[]> identities, JsonObject header, JsonObject parent,
                          JsonObject metadata, JsonObject content, List<byte[]> buffers) {
        public String type() {
            JsonElement t = header.get("msg_type");
            return t == null || t.isJsonNull() ? "" : t.getAsString();
        }

        public String id() {
            JsonElement t = header.get("msg_id");
            return t == null || t.isJsonNull() ? "" : t.getAsString();
        }
    }

    /** A message that must be dropped: bad or missing signature, broken framing or JSON. */
    public static final class BadMessageException extends Exception {
        private static final long serialVersionUID = 1L;

        public BadMessageException(String message) {
            super(message);
        }
    }

    /** Parses and verifies the frames of one multipart message as read from a ROUTER or SUB socket. */
    public Message decode(List<byte[]> frames) throws BadMessageException {
        int d = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                d = i;
                break;
            }
        }
        if (d < 0) {
            throw new BadMessageException("no <IDS|MSG> delimiter in a message of " + frames.size() + " frames");
        }
        if (frames.size() < d + 6) {
            throw new BadMessageException("message has " + (frames.size() - d - 1) + " parts after the delimiter, expected at least 5");
        }
        byte[] signature = frames.get(d + 1);
        byte[] header = frames.get(d + 2);
        byte[] parent = frames.get(d + 3);
        byte[] metadata = frames.get(d + 4);
        byte[] content = frames.get(d + 5);
        if (mac != null) {
            if (signature.length == 0) {
                throw new BadMessageException("missing signature");
            }
            byte[] expected = sign(header, parent, metadata, content);
            if (!MessageDigest.isEqual(expected, signature)) {
                throw new BadMessageException("invalid signature");
            }
        }
        try {
            return new Message(new ArrayList<>(frames.subList(0, d)),
                    parseObject(header), parseObject(parent), parseObject(metadata), parseObject(content),
                    new ArrayList<>(frames.subList(d + 6, frames.size())));
        } catch (RuntimeException e) {
            throw new BadMessageException("malformed JSON: " + e.getMessage());
        }
    }

    private static JsonObject parseObject(byte[] json) {
        JsonElement e = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + e);
        }
        return e.getAsJsonObject();
    }

    /** Hex-encoded HMAC of the four JSON parts, as ASCII bytes. */
    public synchronized byte[] sign(byte[]... parts) {
        if (mac == null) {
            return new byte[0];
        }
        mac.reset();
        for (byte[] p : parts) {
            mac.update(p);
        }
        byte[] digest = mac.doFinal();
        byte[] hex = new byte[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = (byte) Character.forDigit((digest[i] >> 4) & 0xF, 16);
            hex[2 * i + 1] = (byte) Character.forDigit(digest[i] & 0xF, 16);
        }
        return hex;
    }

    /** A fresh header for a message of the given type. */
    public JsonObject header(String msgType) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", UUID.randomUUID().toString());
        h.addProperty("session", session);
        h.addProperty("username", "layerlab");
        h.addProperty("date", OffsetDateTime.now(ZoneOffset.UTC).format(ISO));
        h.addProperty("msg_type", msgType);
        h.addProperty("version", PROTOCOL_VERSION);
        return h;
    }

    /** Frames for a message of type {@code msgType} in reply to / caused by {@code parent}. */
    public List<byte[]> encode(List<byte[]> identities, String msgType, JsonObject parentHeader,
                               JsonObject metadata, JsonObject content) {
        byte[] h = bytes(header(msgType));
        byte[] p = parentHeader == null ? EMPTY_OBJECT : bytes(parentHeader);
        byte[] m = metadata == null ? EMPTY_OBJECT : bytes(metadata);
        byte[] c = bytes(content);
        List<byte[]> frames = new ArrayList<>(identities.size() + 6);
        frames.addAll(identities);
        frames.add(DELIMITER);
        frames.add(sign(h, p, m, c));
        frames.add(h);
        frames.add(p);
        frames.add(m);
        frames.add(c);
        return frames;
    }

    private static byte[] bytes(JsonObject o) {
        return GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
    }
}
