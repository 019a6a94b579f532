package dev.vqclip.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqclip.discord.fake.FakeDiscord;
import dev.vqclip.discord.fake.RecordedRequest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every command, subcommand and option the bot registers, as Discord receives it, carries a description in every
 * locale the bot ships a bundle for: JDA silently drops a translation whose key is not in its form.
 */
class CommandLocalisationTest {
    private static final Pattern BUNDLE = Pattern.compile("commands_(.+)\\.properties");

    @Test
    void everyRegisteredCommandSubcommandAndOptionHasEveryShippedLocale() throws Exception {
        List<String> locales = shippedLocales();
        assertFalse(locales.isEmpty(), "no locale bundles found");
        try (FakeDiscord fake = new FakeDiscord()) {
            DiscordConfig config = new DiscordConfig(new BotToken("fake-token"), List.of(), Duration.ofSeconds(1),
                    Map.of(), List.of("vqgan_imagenet_f16_16384"),
                    new DiscordEndpoints(fake.restBaseUrl(), fake.gatewayUrl()));
            try (DiscordBot bot = DiscordBot.start(config, new InMemoryImagineBackend(), Clock.systemUTC())) {
                RecordedRequest put = fake.awaitRequest("command registration",
                        r -> r.is("PUT", "applications/" + FakeDiscord.BOT_ID + "/commands"), Duration.ofSeconds(15));
                List<String> missing = new ArrayList<>();
                int checked = 0;
                for (JsonNode command : put.payload()) {
                    checked += check(command, command.get("name").asText(), locales, missing);
                }
                // /contest is registered only when the bot runs contests: walk the same data the bot sends then
                JsonNode contest = new ObjectMapper().readTree(ContestCommands.command(config.models()).toData().toJson());
                checked += check(contest, contest.get("name").asText(), locales, missing);
                assertTrue(checked > 70, "walked " + checked + " commands, subcommands and options");
                assertEquals(List.of(), missing, "descriptions without a translation (of " + checked + ")");
            }
        }
    }

    /** Checks {@code node} and its options; returns how many it checked. */
    private static int check(JsonNode node, String path, List<String> locales, List<String> missing) {
        JsonNode localized = node.get("description_localizations");
        for (String locale : locales) {
            if (localized == null || !localized.hasNonNull(locale) || localized.get(locale).asText().isBlank()) {
                missing.add(path + " [" + locale + "]");
            }
        }
        int n = 1;
        if (node.has("options")) {
            for (JsonNode option : node.get("options")) {
                n += check(option, path + " " + option.get("name").asText(), locales, missing);
            }
        }
        return n;
    }

    /** The Discord locales of the bundles next to the base bundle, e.g. "fr". */
    private static List<String> shippedLocales() throws IOException, URISyntaxException {
        Path base = Path.of(Objects.requireNonNull(CommandLocalisationTest.class.getResource("/discord/commands.properties"),
                "base bundle").toURI());
        try (Stream<Path> files = Files.list(base.getParent())) {
            return files.map(f -> BUNDLE.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> m.group(1).replace('_', '-')).sorted().toList();
        }
    }
}
