package io.marketgate.cli;

import io.marketgate.cli.ops.CanaryCommand;
import io.marketgate.cli.ops.ConfigCommand;
import io.marketgate.cli.ops.LimiterCommand;
import io.marketgate.cli.ops.QueuesCommand;
import io.marketgate.cli.ops.SellersCommand;
import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code marketgate}: the operator's commands for a deployed environment (the limiter's budgets, the queues and
 * their DLQs, the API's canary, the environment files). The developer tools ({@code demo}, {@code bench},
 * {@code simulate}, {@code local up}) are in the module {@code dev-tools}, whose jar holds these commands too.
 *
 * <pre>
 * java -jar cli/target/marketgate-cli.jar limiter status --env prod
 * </pre>
 */
@Command(name = "marketgate",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "The operator's commands for a deployed marketgate environment: the limiter's budgets, the queues "
            + "and DLQs, the sellers and their credentials, the API's canary, the environment files.",
        subcommands = {LimiterCommand.class, QueuesCommand.class, SellersCommand.class, ConfigCommand.class, CanaryCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** The name of the subcommand that prints the shell completion script. */
    public static final String COMPLETION = "completion";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** The configured command line whose commands {@code factory} creates: a test's way to give a command a collaborator. */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        return configure(new CommandLine(new Main(), factory));
    }

    /**
     * What every {@code marketgate} (this one and the developer's) shares: the {@code completion} subcommand, one
     * line for an error with the exit code of {@link ExitCodes}, and the exit codes in every command's help.
     */
    public static CommandLine configure(CommandLine cl) {
        cl.addSubcommand(COMPLETION, new AutoComplete.GenerateCompletion());
        // picocli names it generate-completion; its help and errors must say the name it is called by here
        cl.getSubcommands().get(COMPLETION).getCommandSpec().name(COMPLETION).usageMessage()
                .description("Prints a bash/zsh completion script for marketgate: source <(marketgate completion)");
        cl.setParameterExceptionHandler((ex, args) -> usageError(ex.getCommandLine(), ex.getMessage(), ex));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UsageException) {
                return usageError(commandLine, ex.getMessage(), null);
            }
            // expected failures (bad configuration, unreachable store, refused changes) get one clear line, no trace
            commandLine.getErr().println(commandLine.getColorScheme().errorText("marketgate: " + ex.getMessage()));
            if (System.getenv("MARKETGATE_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return ExitCodes.FAILED;
        });
        ExitCodes.document(cl);
        return cl;
    }

    /** One line naming the problem, picocli's suggestions for a misspelt option, and where the help is. */
    private static int usageError(CommandLine commandLine, String message, CommandLine.ParameterException ex) {
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText("marketgate: " + message));
        if (ex != null) {
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        }
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest (Implementation-Version, set from the pom when the jar is shaded), or "development". */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"marketgate " + (v == null ? "development" : v)};
        }
    }
}
