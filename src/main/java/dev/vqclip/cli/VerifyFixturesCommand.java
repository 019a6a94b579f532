package dev.vqclip.cli;

import dev.vqclip.bench.parity.FixtureCheck;
import dev.vqclip.bench.parity.FixtureVerifier;
import dev.vqclip.bench.parity.LoopFixtureChecks;
import dev.vqclip.bench.parity.TokenizerFixtureChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Compares the Java engine with golden outputs of the upstream PyTorch code, one line per checked tensor. */
@Command(name = "verify-fixtures", description = {
        "Check VQGAN, CLIP, tokenizer and optimizer-loop parity against a fixtures folder laid out like shared/fixtures.",
        "Prints 'CHECK <name> max_abs_err=<x> tol=<t> PASS|FAIL' per check and 'parity: N passed, M failed'."})
final class VerifyFixturesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "fixtures folder (model configs come from its safetensors metadata)")
    Path dir;

    @Option(names = "--vocab", paramLabel = "FILE",
            description = "CLIP's bpe_simple_vocab_16e6.txt.gz for the tokenizer checks (default: DIR, DIR/../data, models/)")
    Path vocab;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            System.err.println("verify-fixtures: not a folder: " + dir);
            return 2;
        }
        TokenizerFixtureChecks tokenizer = new TokenizerFixtureChecks(vocab != null ? vocab : findVocabulary(dir));
        FixtureVerifier verifier = FixtureVerifier.models().with(tokenizer).with(new LoopFixtureChecks());
        List<FixtureCheck> checks = verifier.verify(dir);
        int failed = 0;
        for (FixtureCheck c : checks) {
            System.out.println(c.line());
            failed += c.pass() ? 0 : 1;
        }
        String skipped = tokenizer.missingVocabulary();
        if (skipped != null) {
            System.out.println("SKIP tokenizer: " + skipped);
        }
        System.out.println("parity: " + (checks.size() - failed) + " passed, " + failed + " failed");
        return failed == 0 && !checks.isEmpty() ? 0 : 1;
    }

    private static Path findVocabulary(Path dir) {
        String name = "bpe_simple_vocab_16e6.txt.gz";
        return Stream.of(dir.resolve(name), dir.resolve("../data/" + name), Path.of("models", name))
                .filter(Files::isRegularFile).findFirst().orElse(null);
    }
}
