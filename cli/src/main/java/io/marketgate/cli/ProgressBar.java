package io.marketgate.cli;

import java.io.PrintWriter;
import java.lang.reflect.Method;

/**
 * Progress of a long operation on stderr: on a terminal {@code [#########.........]  45/104 requests  12 s} on one
 * line redrawn in place; otherwise (a pipe, a log file, a test) a plain line at most once a second and at the end,
 * so that logs stay readable.
 *
 * <pre>{@code
 * ProgressBar bar = ProgressBar.onStderr(err, "messages");
 * bar.update(done, total);
 * bar.finish();
 * }</pre>
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long PLAIN_LINE_INTERVAL_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final String unit;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private String last = "";
    private long lastPlainLine = Long.MIN_VALUE;
    private int lastDone = -1;
    private int lastTotal;

    public ProgressBar(PrintWriter err, String unit, boolean terminal) {
        this.err = err;
        this.unit = unit;
        this.terminal = terminal;
    }

    /** A bar that redraws in place when this process's stderr is a terminal, plain lines otherwise. */
    public static ProgressBar onStderr(PrintWriter err, String unit) {
        return new ProgressBar(err, unit, isTerminal());
    }

    public synchronized void update(int done, int total) {
        lastDone = done;
        lastTotal = total;
        if (terminal) {
            String line = line(done, total);
            if (!line.equals(last)) {
                err.print("\r" + line);
                err.flush();
                last = line;
            }
        } else {
            long now = System.nanoTime();
            if (lastPlainLine == Long.MIN_VALUE || now - lastPlainLine >= PLAIN_LINE_INTERVAL_NANOS) {
                err.println(done + "/" + total + " " + unit + "  " + seconds() + " s");
                err.flush();
                lastPlainLine = now;
            }
        }
    }

    /** Ends the bar's line; on a pipe, prints the final count if the last line did not show it. */
    public synchronized void finish() {
        if (terminal) {
            err.println();
        } else if (lastDone >= 0) {
            err.println(lastDone + "/" + lastTotal + " " + unit + "  " + seconds() + " s");
        }
        err.flush();
    }

    private String line(int done, int total) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * Math.min(done, total) / total);
        return String.format("[%s%s] %d/%d %s  %d s", "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, unit,
                seconds());
    }

    private long seconds() {
        return (System.nanoTime() - start) / 1_000_000_000L;
    }

    /**
     * Whether stderr/stdout is an interactive terminal. From JDK 22 {@code System.console()} is non-null even when
     * redirected and {@code Console.isTerminal()} tells; this code is compiled for 21, so it asks by reflection.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;   // JDK 21: a console exists only on a terminal
        }
    }
}
