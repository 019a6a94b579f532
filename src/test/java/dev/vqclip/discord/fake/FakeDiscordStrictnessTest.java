package dev.vqclip.discord.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The fake refuses what Discord refuses, so a test of the bot can fail for the same mistakes. */
class FakeDiscordStrictnessTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestWithoutTheBotTokenIsUnauthorised() throws Exception {
        try (FakeDiscord fake = new FakeDiscord()) {
            URI me = URI.create(fake.restBaseUrl() + "users/@me");
            assertEquals(401, send(HttpRequest.newBuilder(me)).statusCode());
            assertEquals(401, send(HttpRequest.newBuilder(me).header("Authorization", "Bot wrong")).statusCode());
            HttpResponse<String> ok = send(HttpRequest.newBuilder(me).header("Authorization", "Bot " + FakeDiscord.TOKEN));
            assertEquals(200, ok.statusCode());
            assertEquals("4", ok.headers().firstValue("X-RateLimit-Remaining").orElseThrow(), "normal rate-limit headers");
        }
    }

    @Test
    void aSecondAcknowledgementOfOneInteractionIs40060() throws Exception {
        try (FakeDiscord fake = new FakeDiscord()) {
            URI callback = URI.create(fake.restBaseUrl() + "interactions/123/itoken-9/callback");
            HttpRequest.Builder ack = HttpRequest.newBuilder(callback).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":5}"));
            assertEquals(200, send(ack).statusCode());
            HttpResponse<String> again = send(ack);
            assertEquals(400, again.statusCode());
            assertTrue(again.body().contains("40060"), again.body());
        }
    }

    @Test
    void anUploadOverTheSizeLimitIsRefused() throws Exception {
        try (FakeDiscord fake = new FakeDiscord()) {
            String boundary = "b0undary";
            byte[] big = new byte[FakeDiscord.ATTACHMENT_SIZE_LIMIT + 1];
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
                    + "Content-Type: application/json\r\n\r\n{\"content\":\"x\",\"attachments\":[{\"id\":0}]}\r\n--"
                    + boundary + "\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"big.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n";
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes();
            byte[] body = new byte[head.length() + big.length + tail.length];
            System.arraycopy(head.getBytes(), 0, body, 0, head.length());
            System.arraycopy(tail, 0, body, head.length() + big.length, tail.length);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(fake.restBaseUrl() + "channels/"
                            + FakeDiscord.CHANNEL_ID + "/messages")).header("Authorization", "Bot " + FakeDiscord.TOKEN)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertEquals(413, r.statusCode());
            assertTrue(r.body().contains("40005"), r.body());
        }
    }

    @Test
    void theMediaProxyServesOtherBytesThanTheOriginal() throws Exception {
        try (FakeDiscord fake = new FakeDiscord()) {
            byte[] png = new byte[64];
            Arrays.fill(png, (byte) 7);
            String id = fake.storeMessageWithAttachment(FakeDiscord.ALICE, "a.png", png);
            var attachment = fake.message(id).get("attachments").get(0);
            byte[] original = http.send(HttpRequest.newBuilder(URI.create(attachment.get("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            byte[] proxied = http.send(HttpRequest.newBuilder(URI.create(attachment.get("proxy_url").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertTrue(Arrays.equals(png, original));
            assertFalse(Arrays.equals(png, proxied));
        }
    }
}
