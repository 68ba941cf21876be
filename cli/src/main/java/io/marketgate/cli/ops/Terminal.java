package io.marketgate.cli.ops;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Where a command asks the operator to confirm a change: the JVM's console when standard input and output are a
 * terminal. Commands take it as a field so that a test can answer in the operator's place.
 */
interface Terminal {

    /** Whether someone can answer: false when input comes from a pipe, a file or nothing. */
    boolean interactive();

    /** Shows {@code prompt} and reads one line; null at the end of the input. */
    String readLine(String prompt);

    /** Asks {@code question} with {@code [y/N]}: true only for y or yes, so that anything else changes nothing. */
    default boolean confirm(String question) {
        String answer = readLine(question + " [y/N] ");
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }

    /** The refusal of a change that needs a confirmation when no one can give it (and no {@code --yes}). */
    static IllegalStateException noConfirmation() {
        return new IllegalStateException("not applied: confirmation needs a terminal, and this input is not one; "
                + "rerun with --yes to apply the plan without asking");
    }

    /** The JVM's console; not interactive when there is none or it is not a terminal. */
    static Terminal system() {
        Console console = System.console();
        boolean terminal = console != null && isTerminal(console);
        return new Terminal() {
            @Override
            public boolean interactive() {
                return terminal;
            }

            @Override
            public String readLine(String prompt) {
                return console.readLine("%s", prompt);
            }
        };
    }

    /**
     * Since JDK 22, {@link System#console()} returns a console even when the streams are redirected, and
     * {@code Console.isTerminal()} tells; the build targets JDK 21, where a console exists only on a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
