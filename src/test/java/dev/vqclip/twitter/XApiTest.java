package dev.vqclip.twitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vqclip.twitter.fake.FakeX;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The v2 client's media routes against the fake, which checks every signature. */
class XApiTest {
    private static XApi api(FakeX x) {
        return new XApi(x.base(), x.base(), new OAuth1(new XCredentials(FakeX.API_KEY, FakeX.API_SECRET, FakeX.ACCESS_TOKEN,
                FakeX.ACCESS_SECRET), Clock.systemUTC()), Clock.systemUTC(), new XApi.Retry(2, Duration.ofMillis(1),
                Duration.ofMillis(10)), d -> { });
    }

    @Test
    void largeImagesGoUpInChunksAndArriveWhole() throws Exception {
        byte[] image = new byte[2_500_000];
        new Random(5).nextBytes(image);
        try (FakeX x = new FakeX()) {
            String id = api(x).uploadImage(image, "image/png", 1 << 20);
            assertThat(x.media(id)).isEqualTo(image);
            assertThat(x.chunkedUploads()).isEqualTo(1);
            assertThat(x.requests()).filteredOn(r -> r.contains("/append")).hasSize(3);
            String small = api(x).uploadImage(new byte[] {1, 2, 3}, "image/png");
            assertThat(x.media(small)).containsExactly(1, 2, 3);
            assertThat(x.chunkedUploads()).isEqualTo(1);
            assertThat(x.badSignatures()).isEmpty();
        }
    }

    @Test
    void imagesOverFiveMegabytesAreRefusedBeforeAnyRequest() throws Exception {
        try (FakeX x = new FakeX()) {
            assertThatThrownBy(() -> api(x).uploadImage(new byte[XApi.MAX_IMAGE_BYTES + 1], "image/png"))
                    .isInstanceOf(XApiException.class).hasMessageContaining("at most 5242880");
            assertThat(x.requests()).isEmpty();
        }
    }

    @Test
    void aWrongSecretIsCaughtByTheFakeAndStopsTheAdapter() throws Exception {
        try (FakeX x = new FakeX()) {
            XApi wrong = new XApi(x.base(), x.base(), new OAuth1(new XCredentials(FakeX.API_KEY, "not-the-secret",
                    FakeX.ACCESS_TOKEN, FakeX.ACCESS_SECRET), Clock.systemUTC()), Clock.systemUTC(), XApi.Retry.standard(),
                    d -> { });
            assertThatThrownBy(wrong::me).isInstanceOfSatisfying(XApiException.class,
                    e -> assertThat(e.kind()).isEqualTo(XApiException.Kind.AUTH));
            assertThat(x.badSignatures()).hasSize(1);
        }
    }
}
