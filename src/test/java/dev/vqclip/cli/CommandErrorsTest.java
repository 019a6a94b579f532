package dev.vqclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A database that cannot be opened is reported as one line naming the database, not as a stack trace. */
class CommandErrorsTest {
    @TempDir
    Path dir;

    @Test
    void anUnopenableDatabaseIsOneLineThatNamesIt() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        String url = "jdbc:h2:file:" + notADirectory.resolve("vqclip");
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("queue", "--db", url);
        assertThat(exit).isEqualTo(1);
        String said = err.toString().strip();
        assertThat(said).startsWith("queue: database ").contains(notADirectory.toString()).doesNotContain("\tat ");
        assertThat(said.lines().filter(l -> !l.contains("NNPACK") && !l.contains("WARN"))).hasSize(1);
    }
}
