package io.marketgate.devtools.runbooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One runbook of {@code runbooks/}, read as a test reads it: its {@code ## } sections and its fenced code blocks, each
 * block's commands with the texts their output must contain.
 *
 * <p>The format, in a runbook:
 * <pre>
 * ```bash runnable
 * ./marketgate limiter pause --market coupang --priority LOW --for 30m --local
 * # expect: paused LOW on coupang/vendor
 * ```
 * </pre>
 * Fences may be indented (a block in a list item). A block whose info string has the word {@code runnable} is run by {@code RunbooksTest}, command by command, in the
 * order of the file. A command is a line (continued by a trailing {@code \}); the lines after it say what it must do:
 * <ul>
 *   <li>{@code # expect: TEXT}: its output (stdout and stderr) contains TEXT;</li>
 *   <li>{@code # expect-match: REGEX}: its output contains a match of the Java regular expression REGEX (a count
 *       that must not be 0: {@code dev-coupang-collect +\d+ +\d+ +[1-9]});</li>
 *   <li>{@code # expect-exit: N}: it exits with N (0 to 255) instead of 0: a command that shows the failure by
 *       failing, such as {@code limiter status} while the store is down.</li>
 * </ul>
 * Any other {@code # expect…:} line is an error (a misspelt check must not pass as a comment); other {@code #} lines
 * are comments. Commands of any block that call {@code ./marketgate} are checked to parse, runnable or not.
 *
 * @param name     the file's name, {@code scheduler-spike.md}
 * @param sections the {@code ## } headings, in order
 * @param blocks   the fenced code blocks, in order
 */
record Runbook(String name, List<String> sections, List<Block> blocks) {

    /** The prefix of {@code # expect: TEXT} lines. */
    static final String EXPECT = "# expect:";
    /** The prefix of {@code # expect-match: REGEX} lines. */
    static final String EXPECT_MATCH = "# expect-match:";
    /** The prefix of {@code # expect-exit: N} lines. */
    static final String EXPECT_EXIT = "# expect-exit:";

    /**
     * A fenced code block starting at {@code line} (1-based), in the {@code ## } section {@code section} (empty before
     * the first one).
     */
    record Block(int line, String section, String info, List<Command> commands) {
        boolean runnable() {
            return List.of(info.trim().split("\\s+")).contains("runnable");
        }
    }

    /**
     * One command of a block.
     *
     * @param line    where it starts (1-based)
     * @param text    the command as written, continuation lines joined
     * @param words   the shell words of the command, quotes removed, without a trailing comment
     * @param expects  what its output must contain
     * @param matches  regular expressions its output must contain a match of
     * @param exitCode the exit code it must end with: 0 unless an {@code # expect-exit:} says otherwise
     */
    record Command(int line, String text, List<String> words, List<String> expects, List<String> matches, int exitCode) {
        Command {
            expects = List.copyOf(expects);
            matches = List.copyOf(matches);
        }

        /** Whether it states anything about its output or exit: an {@code # expect…:} line follows it. */
        boolean checked() {
            return !expects.isEmpty() || !matches.isEmpty() || exitCode != 0;
        }

        /**
         * Whether it only looks (a status, a list, a dry run, a check) and changes nothing: a command whose checks must
         * tell the states apart. A command that changes something prints what it changed.
         */
        boolean looksOnly() {
            List<String> a = arguments();
            if (!marketgate() || a.size() < 2) {
                return false;
            }
            String command = a.get(0) + " " + a.get(1);
            return switch (command) {
                case "limiter status", "queues status", "sellers list", "canary status", "config check" -> true;
                case "queues redrive" -> a.contains("--dry-run");
                default -> false;
            };
        }

        /** Whether it calls the project's CLI: {@code ./marketgate …}. */
        boolean marketgate() {
            return !words.isEmpty() && words.get(0).equals("./marketgate");
        }

        /** The CLI's arguments: the words after {@code ./marketgate}. */
        List<String> arguments() {
            return words.subList(1, words.size());
        }
    }

    /** Every runbook ({@code *.md} but the README) of {@code dir}, by name. */
    static List<Runbook> all(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".md"))
                    .filter(f -> !f.getFileName().toString().equals("README.md"))
                    .sorted()
                    .map(Runbook::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Runbook read(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code markdown}; an unclosed block or an expectation before any command is an error naming the line. */
    static Runbook parse(String name, String markdown) {
        List<String> sections = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        String section = "";
        String[] lines = markdown.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            // a fence may be indented, inside a list item
            if (line.strip().startsWith("```")) {
                int start = i + 1;
                String info = line.strip().substring(3);
                List<Draft> commands = new ArrayList<>();
                i++;
                while (i < lines.length && !lines[i].strip().startsWith("```")) {
                    String text = lines[i].strip();
                    int at = i + 1;
                    String prefix = expectPrefix(text);
                    if (text.isEmpty()) {
                        i++;
                    } else if (prefix != null) {
                        if (commands.isEmpty()) {
                            throw new IllegalArgumentException(name + ":" + at + ": '" + prefix + "' before any command");
                        }
                        commands.get(commands.size() - 1).add(name, at, prefix, text.substring(prefix.length()).strip());
                        i++;
                    } else if (text.startsWith("# expect")) {
                        throw new IllegalArgumentException(name + ":" + at + ": '" + text.split(":", 2)[0]
                                + ":' is no check; write '" + EXPECT + "', '" + EXPECT_MATCH + "' or '" + EXPECT_EXIT + "'");
                    } else if (text.startsWith("#")) {
                        i++;
                    } else {
                        StringBuilder command = new StringBuilder();
                        while (text.endsWith("\\") && i + 1 < lines.length) {
                            command.append(text, 0, text.length() - 1).append(' ');
                            i++;
                            text = lines[i].strip();
                        }
                        command.append(text);
                        i++;
                        commands.add(new Draft(at, command.toString()));
                    }
                }
                if (i >= lines.length) {
                    throw new IllegalArgumentException(name + ":" + start + ": the code block is never closed");
                }
                blocks.add(new Block(start, section, info, commands.stream().map(Draft::command).toList()));
            } else if (line.startsWith("## ")) {
                section = line.substring(3).strip();
                sections.add(section);
            }
            i++;
        }
        return new Runbook(name, List.copyOf(sections), List.copyOf(blocks));
    }

    /** The check a line begins with, {@code null} when it is none. */
    private static String expectPrefix(String text) {
        for (String prefix : List.of(EXPECT, EXPECT_MATCH, EXPECT_EXIT)) {
            if (text.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    /** A command while its checks are read. */
    private static final class Draft {
        private final int line;
        private final String text;
        private final List<String> expects = new ArrayList<>();
        private final List<String> matches = new ArrayList<>();
        private Integer exitCode;

        Draft(int line, String text) {
            this.line = line;
            this.text = text;
        }

        void add(String name, int at, String prefix, String value) {
            String where = name + ":" + at + ": '" + prefix + "' ";
            if (value.isEmpty()) {
                throw new IllegalArgumentException(where + "needs a value");
            }
            switch (prefix) {
                case EXPECT -> expects.add(value);
                case EXPECT_MATCH -> {
                    try {
                        java.util.regex.Pattern.compile(value);
                    } catch (java.util.regex.PatternSyntaxException e) {
                        throw new IllegalArgumentException(where + "is not a regular expression: " + e.getDescription());
                    }
                    matches.add(value);
                }
                default -> {
                    if (exitCode != null) {
                        throw new IllegalArgumentException(where + "is given twice for one command");
                    }
                    if (!value.matches("\\d{1,3}") || Integer.parseInt(value) > 255) {
                        throw new IllegalArgumentException(where + "is '" + value + "', must be an exit code from 0 to 255");
                    }
                    exitCode = Integer.parseInt(value);
                }
            }
        }

        Command command() {
            return new Command(line, text, words(text), expects, matches, exitCode == null ? 0 : exitCode);
        }
    }

    /**
     * The words of a shell command line as a POSIX shell splits them: white space separates words, single and
     * double quotes group (and are removed), a backslash escapes the next character, and a {@code #} at the start of
     * a word begins a comment. No expansion of variables or globs.
     */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + quote + " in: " + line);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    /** All commands of all blocks. */
    List<Command> commands() {
        return blocks.stream().flatMap(b -> b.commands().stream()).toList();
    }
}
