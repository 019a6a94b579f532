package dev.vqclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/*.md are shipped to users without the rest of the team's notes, so every link must land on a
 * file and heading of this repository, and the README must lead to every page.
 */
class DocumentationTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** {@code [text](target)} and {@code ![alt](target)}; the target ends at whitespace or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)[^)]*\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\n]*`");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

    @Test
    void nothingLinksOutsideTheRepository() throws IOException {
        List<String> outside = new ArrayList<>();
        for (Path page : pages()) {
            String prose = CODE_SPAN.matcher(FENCE.matcher(Files.readString(page)).replaceAll("")).replaceAll("");
            Matcher bare = Pattern.compile("(?i)(https?://|www\\.)\\S+").matcher(prose);
            while (bare.find()) {
                outside.add(ROOT.relativize(page) + ": " + bare.group());
            }
            for (String target : links(page)) {
                Path file = page.getParent().resolve(withoutAnchor(target)).normalize();
                if (target.contains(":") || target.startsWith("//") || !file.startsWith(ROOT)) {
                    outside.add(ROOT.relativize(page) + ": " + target);
                }
            }
        }
        assertEquals(List.of(), outside, "links and URLs outside the repository (a value in `code` is not a link)");
    }

    @Test
    void everyRelativeLinkReachesAFileAndItsHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String target : links(page)) {
                if (target.contains(":")) {
                    continue; // reported by the test above
                }
                String path = withoutAnchor(target);
                Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
                if (!Files.isRegularFile(file)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (target.contains("#") && file.toString().endsWith(".md")
                        && !anchors(file).contains(target.substring(target.indexOf('#') + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading; " + anchors(file) + ")");
                }
            }
        }
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void theReadmeLeadsToEveryDocsPage() throws IOException {
        Set<String> linked = links(ROOT.resolve("README.md")).stream().map(DocumentationTest::withoutAnchor)
                .collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).map(p -> "docs/" + p.getFileName())
                    .filter(p -> !linked.contains(p)).forEach(missing::add);
        }
        assertEquals(Set.of(), missing, "docs pages the README does not link to");
    }

    @Test
    void theReadmesTestCommandIsTheOneCiRuns() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));
        assertEquals("bash scripts/test.sh", ci.get(ci.size() - 1).strip(), ".ci/run's last line");
        assertTrue(readme.contains("```\n   bash scripts/test.sh\n   ```"),
                "README shows `bash scripts/test.sh` as a command");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static List<String> links(Path page) throws IOException {
        String text = FENCE.matcher(Files.readString(page)).replaceAll("");
        List<String> targets = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            targets.add(m.group(1));
        }
        Matcher auto = Pattern.compile("<((?:https?:|mailto:)[^>]+)>").matcher(text);
        while (auto.find()) {
            targets.add(auto.group(1));
        }
        return targets;
    }

    private static String withoutAnchor(String target) {
        int hash = target.indexOf('#');
        return hash < 0 ? target : target.substring(0, hash);
    }

    /** Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to hyphens. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new TreeSet<>();
        Matcher m = HEADING.matcher(FENCE.matcher(Files.readString(page)).replaceAll(""));
        while (m.find()) {
            anchors.add(m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-'));
        }
        return anchors;
    }
}
