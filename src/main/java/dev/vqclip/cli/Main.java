package dev.vqclip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `vqclip` command: one picocli subcommand per job a user or operator runs. */
@Command(name = "vqclip", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "VQGAN+CLIP image bot: render prompts, run the queue and the chat adapters, read provenance.",
        subcommands = {CommandLine.HelpCommand.class, EngineInfoCommand.class, ModelsCommand.class, VerifyFixturesCommand.class, ImagineCommand.class, DecodeCommand.class, StampCommand.class, ProvenanceBenchCommand.class, BenchCommand.class, ModelBenchCommand.class,
                ServeCommand.class, WorkerCommand.class, WebCommand.class, QueueCommand.class, FairnessBenchCommand.class,
                ResultCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // '@FILE' arguments would be expanded from the file's lines (and echoed in errors): a file name is just a name
        cl.setExpandAtFiles(false);
        cl.setExecutionExceptionHandler(Main::oneLineForOurErrors);
        return cl;
    }

    /**
     * Our own exceptions (a database that cannot be reached, a model that cannot be read) already say what went wrong
     * and with which value: print that one line, not a stack trace. Anything else is a bug and keeps its trace.
     */
    private static int oneLineForOurErrors(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (!e.getClass().getName().startsWith("dev.vqclip.")) {
            throw e;
        }
        cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
        return 1;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The code version recorded in every image's recipe. */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vqclip " + version()};
        }
    }
}
