package io.marketgate.cli.ops;

import io.marketgate.devtools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of {@code marketgate …}, as {@code ./marketgate} would run it, with what it printed. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        return of(List.of(args));
    }

    public static CliRun of(List<String> args) {
        return of(CommandLine.defaultFactory(), args);
    }

    /** A run whose commands {@code factory} creates, so that a test can hand a command a collaborator. */
    public static CliRun of(CommandLine.IFactory factory, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new CliRun(exit, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
