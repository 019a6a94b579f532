package dev.vqclip.app;

import dev.vqclip.contest.ContestService;
import dev.vqclip.contest.ContestStore;
import dev.vqclip.contest.EntryTemplate;
import dev.vqclip.contest.ImageProvenance;
import dev.vqclip.job.JobService;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.provenance.BadImageException;
import dev.vqclip.provenance.ProvenanceReader;
import java.security.SecureRandom;
import java.time.Clock;

/** Builds the contest service over the job service's database, with the bot's defaults as the entry template. */
public final class ContestWiring {
    private ContestWiring() {
    }

    public static ContestService contests(ContestStore store, JobService jobs, BotDefaults d, PromptParser parser, Clock clock) {
        EntryTemplate template = new EntryTemplate(d.clip(), d.cutPow(), d.cutMethod(), d.previewEvery(), d.models(),
                d.maxSide(), d.maxIterations(), d.width(), d.height(), d.iterations(), d.cutn());
        return new ContestService(store, jobs, parser, template, provenance(new ProvenanceReader()),
                clock, new SecureRandom()::nextLong);
    }

    /** The job id an image carries, from whichever provenance layer survived. */
    static ImageProvenance provenance(ProvenanceReader reader) {
        return image -> {
            try {
                return reader.read(image).jobId();
            } catch (BadImageException e) {
                throw new IllegalArgumentException("that file is not an image I can read (" + e.getMessage() + ")", e);
            }
        };
    }
}
