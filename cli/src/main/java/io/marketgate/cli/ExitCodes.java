package io.marketgate.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The exit codes of every {@code marketgate} command, the same in the operator's and the developer's jar, and the
 * "Exit codes:" section that every command's help ends with.
 *
 * <pre>{@code
 * exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILED_LINE, ExitCodes.USAGE_LINE, "3:some messages could not be moved"}
 * }</pre>
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** The operation failed, or was refused or cancelled; what it could not do is not half-done. */
    public static final int FAILED = 1;
    /** A usage error: an unknown option or subcommand, a missing or bad value; nothing was done. Picocli's own code. */
    public static final int USAGE = 2;
    /** Done in part, or the result has problems: the command's help says what (a redrive that moved some messages). */
    public static final int PARTIAL = 3;

    public static final String HEADING = "%nExit codes:%n";
    public static final String OK_LINE = "0:done";
    public static final String FAILED_LINE = "1:failed, refused or cancelled (the error says what was not done)";
    public static final String USAGE_LINE = "2:usage error: an unknown option, a missing or bad value; nothing was done";

    private ExitCodes() {}

    /**
     * Gives every command of {@code commandLine}'s tree that lists no exit codes of its own the standard list
     * (0, 1, 2), so that each command's help states them.
     */
    static void document(CommandLine commandLine) {
        CommandLine.Model.UsageMessageSpec usage = commandLine.getCommandSpec().usageMessage();
        if (usage.exitCodeList().isEmpty()) {
            Map<String, String> codes = new LinkedHashMap<>();
            for (String line : new String[] {OK_LINE, FAILED_LINE, USAGE_LINE}) {
                int colon = line.indexOf(':');
                codes.put(line.substring(0, colon), line.substring(colon + 1));
            }
            usage.exitCodeListHeading(HEADING).exitCodeList(codes);
        }
        commandLine.getSubcommands().values().forEach(ExitCodes::document);
    }
}
