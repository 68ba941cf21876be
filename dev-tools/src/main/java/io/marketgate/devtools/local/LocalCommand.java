package io.marketgate.devtools.local;

import picocli.CommandLine.Command;

/** {@code marketgate local …}: the whole platform on this machine. */
@Command(name = "local",
        mixinStandardHelpOptions = true,
        description = "Run the whole platform on this machine.",
        subcommands = {LocalUpCommand.class})
public final class LocalCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
