package dev.vqclip.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vqclip.job.FfmpegEncoder;
import dev.vqclip.job.Visibility;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job page shows a timelapse the way its stored media type needs, and its route serves that type. */
class WebTimelapseTest {
    @TempDir
    Path dir;
    WebFixture web;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(dir, 2);
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void anMp4TimelapsePlaysInALoopingMutedVideoAndIsServedAsVideoMp4() throws Exception {
        var ffmpeg = FfmpegEncoder.select(null, System.getenv("PATH"));
        assumeTrue(ffmpeg.isPresent(), "no ffmpeg on PATH: MP4 timelapses need Debian's ffmpeg "
                + "(scripts/test.sh installs it when run as root)");
        long id = web.submit("1", "a paper boat", Visibility.PUBLIC, null);
        web.finish(id, ffmpeg.get());

        HttpResponse<String> page = web.get("/jobs/" + id);
        assertThat(page.body()).contains("<video id=\"timelapse\" src=\"/jobs/" + id + "/timelapse\" autoplay loop muted "
                + "playsinline", "download=\"job-" + id + "-timelapse.mp4\"").doesNotContain("<img id=\"timelapse\"");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("media-src 'self'");
        HttpResponse<byte[]> video = web.bytes("/jobs/" + id + "/timelapse");
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(video.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(video.headers().firstValue("Content-Disposition").orElseThrow()).contains("timelapse.mp4");
        assertThat(new String(video.body(), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    }

    @Test
    void aGifTimelapseIsAnImageWithItsAltText() throws Exception {
        long id = web.submit("1", "a paper boat", Visibility.PUBLIC, null);
        web.finish(id);
        assertThat(web.get("/jobs/" + id).body()).contains("<img id=\"timelapse\" src=\"/jobs/" + id + "/timelapse\" "
                + "alt=\"Timelapse of the run: a paper boat\"", "download=\"job-" + id + "-timelapse.gif\"")
                .doesNotContain("<video");
        assertThat(web.bytes("/jobs/" + id + "/timelapse").headers().firstValue("Content-Type")).hasValue("image/gif");
    }
}
