package dev.vqclip.twitter;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a HMAC-SHA1 request signing (RFC 5849 §3.4, as X's "Creating a signature" page walks through it). Query
 * parameters and form-encoded body parameters are signed; JSON and multipart bodies are not.
 */
public final class OAuth1 {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final XCredentials credentials;
    private final Clock clock;
    private final Supplier<String> nonces;

    public OAuth1(XCredentials credentials, Clock clock) {
        this(credentials, clock, OAuth1::randomNonce);
    }

    OAuth1(XCredentials credentials, Clock clock, Supplier<String> nonces) {
        this.credentials = credentials;
        this.clock = clock;
        this.nonces = nonces;
    }

    /** The {@code Authorization} header for a request to {@code uri} (its query is signed) with no form body. */
    public String authorization(String method, URI uri) {
        return authorization(method, uri, Map.of());
    }

    public String authorization(String method, URI uri, Map<String, String> formBody) {
        Map<String, String> oauth = new TreeMap<>();
        oauth.put("oauth_consumer_key", credentials.apiKey());
        oauth.put("oauth_nonce", nonces.get());
        oauth.put("oauth_signature_method", "HMAC-SHA1");
        oauth.put("oauth_timestamp", Long.toString(clock.millis() / 1000));
        oauth.put("oauth_token", credentials.accessToken());
        oauth.put("oauth_version", "1.0");
        List<Map.Entry<String, String>> params = new ArrayList<>(queryParameters(uri));
        params.addAll(formBody.entrySet());
        params.addAll(oauth.entrySet());
        oauth.put("oauth_signature", signature(method, baseUrl(uri), params, credentials.apiSecret(),
                credentials.accessSecret()));
        StringBuilder header = new StringBuilder("OAuth ");
        oauth.forEach((k, v) -> header.append(encode(k)).append("=\"").append(encode(v)).append("\", "));
        return header.substring(0, header.length() - 2);
    }

    /** The signature of a request: base64 of HMAC-SHA1 over the signature base string with the two secrets. */
    public static String signature(String method, String baseUrl, List<Map.Entry<String, String>> params,
                                   String consumerSecret, String tokenSecret) {
        String key = encode(consumerSecret) + "&" + encode(tokenSecret == null ? "" : tokenSecret);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA1"));
            byte[] digest = mac.doFinal(baseString(method, baseUrl, params).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA1", e);
        }
    }

    /** {@code METHOD&encoded-url&encoded-parameter-string}. */
    public static String baseString(String method, String baseUrl, List<Map.Entry<String, String>> params) {
        return method.toUpperCase(Locale.ROOT) + "&" + encode(baseUrl) + "&" + encode(parameterString(params));
    }

    /** Encoded keys and values, sorted by key then value, joined with {@code =} and {@code &}. */
    public static String parameterString(List<Map.Entry<String, String>> params) {
        List<String[]> encoded = new ArrayList<>();
        for (Map.Entry<String, String> p : params) {
            encoded.add(new String[] {encode(p.getKey()), encode(p.getValue())});
        }
        encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder s = new StringBuilder();
        for (String[] p : encoded) {
            if (!s.isEmpty()) {
                s.append('&');
            }
            s.append(p[0]).append('=').append(p[1]);
        }
        return s.toString();
    }

    /** RFC 3986 percent-encoding of UTF-8: everything but {@code A-Z a-z 0-9 - . _ ~}, upper-case hex. */
    public static String encode(String value) {
        StringBuilder s = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                s.append((char) c);
            } else {
                s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return s.toString();
    }

    /** Scheme and host in lower case, the port only when it is not the scheme's default, the path; no query. */
    public static String baseUrl(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }

    /** The decoded query parameters of a URI, in order. */
    public static List<Map.Entry<String, String>> queryParameters(URI uri) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(Map.entry(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static String randomNonce() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).replace("-", "").replace("_", "");
    }
}
