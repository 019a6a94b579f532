package dev.vqclip.twitter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signer against the worked example of X's "Creating a signature" page, value for value. */
class OAuth1Test {
    private static final String URL = "https://api.twitter.com/1.1/statuses/update.json";
    private static final List<Map.Entry<String, String>> PARAMS = List.of(
            Map.entry("status", "Hello Ladies + Gentlemen, a signed OAuth request!"),
            Map.entry("include_entities", "true"),
            Map.entry("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
            Map.entry("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
            Map.entry("oauth_signature_method", "HMAC-SHA1"),
            Map.entry("oauth_timestamp", "1318622958"),
            Map.entry("oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
            Map.entry("oauth_version", "1.0"));
    private static final String CONSUMER_SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
    private static final String TOKEN_SECRET = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";

    @Test
    void theParameterStringIsTheDocumentedOne() {
        assertThat(OAuth1.parameterString(PARAMS)).isEqualTo("include_entities=true&oauth_consumer_key=xvz1evFS4wEEPTGEFPHBog"
                + "&oauth_nonce=kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg&oauth_signature_method=HMAC-SHA1"
                + "&oauth_timestamp=1318622958&oauth_token=370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
                + "&oauth_version=1.0&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21");
    }

    @Test
    void theSignatureBaseStringIsTheDocumentedOne() {
        assertThat(OAuth1.baseString("post", URL, PARAMS)).isEqualTo("POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses"
                + "%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce"
                + "%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp"
                + "%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0"
                + "%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521");
    }

    @Test
    void theSignatureIsTheDocumentedOne() {
        assertThat(OAuth1.signature("POST", URL, PARAMS, CONSUMER_SECRET, TOKEN_SECRET)).isEqualTo("hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    }

    @Test
    void theHeaderSignsTheQueryAndBodyWithTheExampleNonceAndTime() {
        OAuth1 signer = new OAuth1(new XCredentials("xvz1evFS4wEEPTGEFPHBog", CONSUMER_SECRET,
                "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", TOKEN_SECRET),
                Clock.fixed(Instant.ofEpochSecond(1318622958), ZoneOffset.UTC), () -> "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg");
        String header = signer.authorization("POST", URI.create(URL + "?include_entities=true"),
                Map.of("status", "Hello Ladies + Gentlemen, a signed OAuth request!"));
        assertThat(header).startsWith("OAuth ").contains("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\"")
                .contains("oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\"").contains("oauth_timestamp=\"1318622958\"");
    }

    @Test
    void baseUrlsDropTheQueryAndDefaultPortsButKeepOthers() {
        assertThat(OAuth1.baseUrl(URI.create("HTTPS://API.X.com:443/2/tweets?a=b"))).isEqualTo("https://api.x.com/2/tweets");
        assertThat(OAuth1.baseUrl(URI.create("http://127.0.0.1:8123/2/users/me"))).isEqualTo("http://127.0.0.1:8123/2/users/me");
        assertThat(OAuth1.encode("ü ~*")).isEqualTo("%C3%BC%20~%2A");
    }
}
