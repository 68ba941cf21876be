package io.marketgate.cli;

import io.marketgate.cli.bench.BenchCommand;
import io.marketgate.cli.demo.DemoCommand;
import io.marketgate.cli.local.LocalCommand;
import io.marketgate.cli.ops.CanaryCommand;
import io.marketgate.cli.ops.ConfigCommand;
import io.marketgate.cli.ops.LimiterCommand;
import io.marketgate.cli.ops.QueuesCommand;
import io.marketgate.cli.simulate.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code marketgate}: the one command for local runs, simulation and operations. */
@Command(name = "marketgate",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Fleet-wide, priority-aware market budgets for seller-data collectors on AWS Lambda.",
        subcommands = {DemoCommand.class, BenchCommand.class, SimulateCommand.class, LocalCommand.class, LimiterCommand.class, QueuesCommand.class,
            ConfigCommand.class, CanaryCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    static final String LOG_CONFIG_PROPERTY = "log4j2.configurationFile";
    static final String LOG_CONFIG = "marketgate-cli-log4j2.xml";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // the command's own logging, not the Lambda handlers' log4j2.xml that the jar also holds (see the file)
        if (System.getProperty(LOG_CONFIG_PROPERTY) == null) {
            System.setProperty(LOG_CONFIG_PROPERTY, LOG_CONFIG);
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** The configured command line whose commands {@code factory} creates: a test's way to give a command a collaborator. */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(new Main(), factory);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // expected failures (bad configuration, unreachable store, bad arguments) get one clear line, no trace
            commandLine.getErr().println(commandLine.getColorScheme().errorText("marketgate: " + ex.getMessage()));
            if (System.getenv("MARKETGATE_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest, or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"marketgate " + (v == null ? "development" : v)};
        }
    }
}
