package dev.vqclip.cli;

import dev.vqclip.engine.weights.WeightsException;
import dev.vqclip.engine.weights.catalog.CatalogException;
import dev.vqclip.engine.weights.catalog.DownloadSettings;
import dev.vqclip.engine.weights.catalog.Downloader;
import dev.vqclip.engine.weights.catalog.FileCheck;
import dev.vqclip.engine.weights.catalog.FileRole;
import dev.vqclip.engine.weights.catalog.InstalledModel;
import dev.vqclip.engine.weights.catalog.ModelCatalog;
import dev.vqclip.engine.weights.catalog.ModelEntry;
import dev.vqclip.engine.weights.catalog.ModelStore;
import dev.vqclip.engine.weights.catalog.ModelStore.Presence;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code vqclip models list | download NAME... | verify [NAME]}: the model files in the local models folder. */
@Command(name = "models",
        description = "List, download and verify model files (catalog: config/models.yaml).",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Download.class, ModelsCommand.Verify.class})
public final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--models-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            defaultValue = "${env:VQCLIP_MODELS_DIR:-models}",
            description = "where model files live (default: $VQCLIP_MODELS_DIR or ./models)")
    Path modelsDir;

    @Option(names = "--catalog", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "model catalog to use (default: config/models.yaml, else the built-in copy)")
    Path catalogFile;

    @Option(names = "--mirror", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "fetch every file from URL/<file name> instead of the catalog's urls")
    URI mirror;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private ModelStore store() {
        ModelCatalog catalog = catalogFile == null ? ModelCatalog.loadDefault() : ModelCatalog.load(catalogFile);
        DownloadSettings settings = mirror == null ? DownloadSettings.defaults()
                : DownloadSettings.defaults().withMirror(mirror);
        Downloader downloader = new Downloader(settings, Clock.systemUTC(), spec.commandLine().getErr());
        return new ModelStore(catalog, modelsDir, downloader);
    }

    /** Runs {@code action}, turning catalog errors into usage errors and download errors into failures. */
    private int guarded(Callable<Integer> action) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return action.call();
        } catch (CatalogException e) {
            err.println(e.getMessage());
            return ExitCode.USAGE;
        } catch (WeightsException e) {
            err.println(e.getMessage());
            return ExitCode.SOFTWARE;
        }
    }

    /** -h/--help only: these commands have no version of their own to show. */
    static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean requested;
    }

    @Command(name = "list",
            description = "Show every catalog model: kind, size, whether its files are here, and where.")
    static final class ListModels implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Mixin
        HelpOption help;

        @Override
        public Integer call() throws Exception {
            return parent.guarded(() -> {
                ModelStore store = parent.store();
                PrintWriter out = parent.spec.commandLine().getOut();
                String format = "%-26s %-6s %-10s %-8s %s%n";
                out.printf(Locale.ROOT, format, "NAME", "KIND", "SIZE", "STATUS", "FILES");
                for (ModelEntry entry : store.catalog().entries()) {
                    out.printf(Locale.ROOT, format, entry.name(), entry.kind().id(), size(entry),
                            status(store, entry), entry.files().stream().map(f -> store.pathOf(f).toString())
                                    .collect(Collectors.joining(", ")));
                }
                out.flush();
                return ExitCode.OK;
            });
        }

        private static String status(ModelStore store, ModelEntry entry) {
            List<Presence> presence = entry.files().stream().map(store::presence).toList();
            if (presence.stream().allMatch(p -> p == Presence.PRESENT)) {
                return "present";
            }
            return presence.stream().allMatch(p -> p == Presence.MISSING) ? "missing" : "partial";
        }

        private static String size(ModelEntry entry) {
            long bytes = entry.knownSize();
            if (bytes == 0) {
                return "?";
            }
            String mb = bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
                    : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
            return entry.sizeExact() ? mb : "~" + mb;
        }
    }

    @Command(name = "download",
            description = "Download (or resume) the files of NAME and what it requires, and check their sha256.")
    static final class Download implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Mixin
        HelpOption help;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "model name or alias, e.g. ViT-B/32")
        List<String> names;

        @Override
        public Integer call() throws Exception {
            return parent.guarded(() -> {
                ModelStore store = parent.store();
                PrintWriter out = parent.spec.commandLine().getOut();
                for (String name : names) {
                    InstalledModel model = store.ensure(name);
                    out.println(model.entry().name() + ": ready");
                    for (FileRole role : FileRole.values()) {
                        if (model.files().containsKey(role)) {
                            out.println("  " + role.id() + ": " + model.path(role));
                        }
                    }
                }
                out.flush();
                return ExitCode.OK;
            });
        }
    }

    @Command(name = "verify",
            description = "Re-hash the files of NAME (default: every model file present) against the catalog "
                    + "or, where no checksum is published, the hash recorded on first download.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Mixin
        HelpOption help;

        @Parameters(arity = "0..1", paramLabel = "NAME", description = "model name or alias")
        String name;

        @Override
        public Integer call() throws Exception {
            return parent.guarded(() -> {
                ModelStore store = parent.store();
                PrintWriter out = parent.spec.commandLine().getOut();
                List<FileCheck> checks = name == null ? store.verifyPresent() : store.verify(name);
                if (checks.isEmpty()) {
                    out.println("no model files in " + store.directory().toAbsolutePath());
                }
                checks.forEach(c -> out.println(c.describe()));
                out.flush();
                return checks.stream().allMatch(FileCheck::ok) ? ExitCode.OK : ExitCode.SOFTWARE;
            });
        }
    }
}
