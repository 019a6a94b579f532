package dev.vqclip.cli;

import dev.vqclip.bench.provenance.RobustnessBench;
import dev.vqclip.bench.provenance.SyntheticImages;
import dev.vqclip.provenance.Attack;
import dev.vqclip.provenance.Watermark;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vqclip provenance-bench}: the robust watermark's recovery rate, bit-error rate and PSNR per attack. */
@Command(name = "provenance-bench", mixinStandardHelpOptions = true,
        description = "Measure the robust watermark over synthetic images: recovery rate, BER and PSNR per attack.")
public final class ProvenanceBenchCommand implements Callable<Integer> {
    @Option(names = "--images", defaultValue = "200", description = "images per attack (default ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--seed", defaultValue = "7", description = "image generator seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--min-side", defaultValue = "256", description = "smallest image side (default ${DEFAULT-VALUE})")
    int minSide;

    @Option(names = "--max-side", defaultValue = "512", description = "largest image side (default ${DEFAULT-VALUE})")
    int maxSide;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (images < 1) {
            spec.commandLine().getErr().println("vqclip provenance-bench: --images must be >= 1, got " + images);
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Attack> attacks = Attack.standardSuite();
        if (!Attack.webpAvailable()) {
            out.println("note: cwebp/dwebp not on PATH (Debian package 'webp'); the WebP attack is skipped. "
                    + "No pure-Java WebP encoder exists; JPEG q50 is the strongest lossy stand-in.");
        }
        out.println(images + " images per attack, sides " + minSide + ".." + maxSide + ", seed " + seed);
        out.println(RobustnessBench.header());
        out.flush();
        RobustnessBench bench = new RobustnessBench(Watermark.standard(), new SyntheticImages(minSide, maxSide), seed);
        bench.run(attacks, images, line -> {
            out.println(line);
            out.flush();
        });
        return 0;
    }
}
