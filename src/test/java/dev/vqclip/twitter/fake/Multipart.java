package dev.vqclip.twitter.fake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a multipart/form-data body into its named parts (enough for the fake's media upload). */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");

    private Multipart() {
    }

    static Map<String, byte[]> parse(String contentType, byte[] body) {
        Matcher b = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (b == null || !contentType.startsWith("multipart/form-data") || !b.find()) {
            throw new IllegalArgumentException("not multipart/form-data: " + contentType);
        }
        byte[] delimiter = ("--" + b.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, byte[]> parts = new HashMap<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 2 <= body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            int next = indexOf(body, delimiter, headEnd);
            if (headEnd < 0 || next < 0) {
                throw new IllegalArgumentException("truncated multipart body");
            }
            String head = new String(body, start, headEnd - start, StandardCharsets.UTF_8);
            Matcher n = NAME.matcher(head);
            if (n.find()) {
                parts.put(n.group(1), Arrays.copyOfRange(body, headEnd + 4, next - 2)); // minus the CRLF before --
            }
            at = next;
        }
        return parts;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
