package dev.vqclip.cli;

import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobViews;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcContestStore;
import dev.vqclip.store.JdbcShowcase;
import dev.vqclip.web.ContestPages;
import dev.vqclip.web.WebServer;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the web face listens: shared by serve (on by default) and web. */
final class WebOptions {
    @Option(names = "--web-port", defaultValue = "8080", paramLabel = "PORT",
            description = "serve the web pages, /healthz, /readyz and /metrics on this port (0 = no web server); default ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--web-bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "the address the web server listens on (0.0.0.0 for every interface); default ${DEFAULT-VALUE}")
    String bind;

    /** Starts the web server, or returns null when --web-port is 0. */
    WebServer start(Database db, JobService jobs, JobEvents events, Clock clock, PrintWriter out) {
        if (port == 0) {
            return null;
        }
        WebServer.Settings settings = WebServer.Settings.standard(bind, port);
        WebServer server = WebServer.start(settings, new JobViews(jobs, new JdbcShowcase(db, clock), new ProvenanceReader(),
                clock), events, clock, List.of(new ContestPages(new JdbcContestStore(db), jobs, clock)));
        out.printf("web: http://%s:%d/ (contests /contests; health /healthz, /readyz; metrics /metrics)%n",
                bind.contains(":") ? "[" + bind + "]" : bind, server.port());
        out.flush();
        return server;
    }
}
