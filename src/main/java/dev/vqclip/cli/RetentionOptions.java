package dev.vqclip.cli;

import dev.vqclip.job.Retention;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How long serve keeps finished work (the daily pruning pass). */
final class RetentionOptions {
    @Option(names = "--keep-results", defaultValue = "90d", paramLabel = "DURATION",
            description = "delete finished jobs, their images and result files this long after they end; default ${DEFAULT-VALUE}")
    String keepResults;

    @Option(names = "--keep-uploads", defaultValue = "7d", paramLabel = "DURATION",
            description = "delete attached init/target images this long after upload; default ${DEFAULT-VALUE}")
    String keepUploads;

    Retention retention() {
        return new Retention(SchedulerOptions.duration("--keep-results", keepResults),
                SchedulerOptions.duration("--keep-uploads", keepUploads), Duration.ofDays(1));
    }
}
