package io.marketgate.devtools;

import io.marketgate.cli.ops.CanaryCommand;
import io.marketgate.cli.ops.ConfigCommand;
import io.marketgate.cli.ops.LimiterCommand;
import io.marketgate.cli.ops.QueuesCommand;
import io.marketgate.cli.ops.SellersCommand;
import io.marketgate.devtools.bench.BenchCommand;
import io.marketgate.devtools.chaos.ChaosCommand;
import io.marketgate.devtools.demo.DemoCommand;
import io.marketgate.devtools.local.LocalCommand;
import io.marketgate.devtools.marketsim.MarketSimCommand;
import io.marketgate.devtools.simulate.SimulateCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code ./marketgate} in the repository: the developer tools (demo, bench, simulate, local up) beside every
 * operator command of {@link io.marketgate.cli.Main}, with the same options, exit codes and completion.
 */
@Command(name = "marketgate",
        mixinStandardHelpOptions = true,
        versionProvider = io.marketgate.cli.Main.Version.class,
        description = "Fleet-wide, priority-aware market budgets for seller-data collectors on AWS Lambda: the developer "
            + "tools (demo, bench, simulate, chaos, local up, market-sim) and the operator's commands.",
        subcommands = {DemoCommand.class, BenchCommand.class, SimulateCommand.class, ChaosCommand.class, LocalCommand.class, MarketSimCommand.class,
            LimiterCommand.class,
            QueuesCommand.class, SellersCommand.class, ConfigCommand.class, CanaryCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    static final String LOG_CONFIG_PROPERTY = "log4j2.configurationFile";
    static final String LOG_CONFIG = "marketgate-dev-log4j2.xml";

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
        return io.marketgate.cli.Main.configure(new CommandLine(new Main(), factory));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
