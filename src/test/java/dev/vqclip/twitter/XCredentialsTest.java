package dev.vqclip.twitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void xIsOffWithoutCredentialsAndTheEnvironmentWinsOverTheFile() throws Exception {
        assertThat(XCredentials.load(Map.of(), null)).isEmpty();
        Path file = dir.resolve("x");
        Files.writeString(file, "# the bot account\nX_API_KEY=k\nX_API_SECRET = s\nX_ACCESS_TOKEN=t\nX_ACCESS_SECRET=a\n");
        assertThat(XCredentials.load(Map.of(), file)).contains(new XCredentials("k", "s", "t", "a"));
        assertThat(XCredentials.load(Map.of("X_API_KEY", "K", "X_API_SECRET", "S", "X_ACCESS_TOKEN", "T",
                "X_ACCESS_SECRET", "A"), file)).contains(new XCredentials("K", "S", "T", "A"));
    }

    @Test
    void aMissingOrMalformedValueIsNamedAndNoSecretIsShown() throws Exception {
        assertThatThrownBy(() -> XCredentials.load(Map.of("X_API_KEY", "k"), null))
                .hasMessage("X credentials from the environment: X_API_SECRET is missing or empty; X needs all of "
                        + "[X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET]");
        Path file = dir.resolve("x");
        Files.writeString(file, "X_API_KEY=k\nTOKEN=t\n");
        assertThatThrownBy(() -> XCredentials.load(Map.of(), file)).hasMessageContaining("line 2: expected NAME=value");
        assertThatThrownBy(() -> XCredentials.load(Map.of(), dir.resolve("absent")))
                .hasMessageContaining("cannot read the X credentials file");
        assertThat(new XCredentials("key1", "secret1", "token1", "asecret1").toString()).doesNotContain("secret1", "key1");
    }
}
