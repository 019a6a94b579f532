package dev.vqclip.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelapseVideoTest {
    private static final byte[] GIF = TimelapseEncoder.GIF.encode(List.of(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB)));
    private static final byte[] MP4_HEAD = "\0\0\0\u0018ftypisom\0\0\u0002\0".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void theMediaTypeIsReadFromTheBytesSignature() {
        assertThat(TimelapseVideo.sniff(GIF)).isEqualTo("image/gif");
        assertThat(TimelapseVideo.sniff(MP4_HEAD)).isEqualTo("video/mp4");
        assertThat(TimelapseVideo.sniff("not a video at all".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(new TimelapseVideo("video/mp4", 3, MP4_HEAD).extension()).isEqualTo("mp4");
        assertThat(new TimelapseVideo("image/gif", 1, GIF).extension()).isEqualTo("gif");
    }

    @Test
    void aDeclaredTypeThatTheBytesContradictIsRefused() {
        assertThatThrownBy(() -> new TimelapseVideo("video/mp4", 1, GIF)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a timelapse's media type must match its bytes: declared 'video/mp4', the bytes are image/gif");
        assertThatThrownBy(() -> new TimelapseVideo("image/gif", 1, new byte[] {1, 2, 3}))
                .hasMessageContaining("the bytes are neither a GIF nor an MP4");
    }
}
