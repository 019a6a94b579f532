package dev.vqclip.app;

import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobViews;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.web.ContestPages;
import dev.vqclip.web.WebServer;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/** Starts the web face (gallery, contests, health checks and metrics) on the job service. */
final class WebWiring {
    private WebWiring() {
    }

    /** Starts listening and says where on {@code out}. */
    static WebServer start(WebConfig config, Stores stores, JobService jobs, JobEvents events, PrintWriter out, Clock clock) {
        WebServer.Settings settings = WebServer.Settings.standard(config.bind(), config.port());
        WebServer server = WebServer.start(settings, new JobViews(jobs, stores.showcase(clock), new ProvenanceReader(), clock),
                events, clock, List.of(new ContestPages(stores.contests(), jobs, clock)));
        String bind = config.bind();
        out.printf("web: http://%s:%d/ (contests /contests; health /healthz, /readyz; metrics /metrics)%n",
                bind.contains(":") ? "[" + bind + "]" : bind, server.port());
        out.flush();
        return server;
    }
}
