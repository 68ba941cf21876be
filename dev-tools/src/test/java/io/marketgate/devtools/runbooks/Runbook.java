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
 * order of the file. A command is a line (continued by a trailing {@code \}); {@code # expect: TEXT} lines after it
 * say what its output (stdout and stderr) must contain, other {@code #} lines are comments. Commands of any block
 * that call {@code ./marketgate} are checked to parse, runnable or not.
 *
 * @param name     the file's name, {@code scheduler-spike.md}
 * @param sections the {@code ## } headings, in order
 * @param blocks   the fenced code blocks, in order
 */
record Runbook(String name, List<String> sections, List<Block> blocks) {

    /** The prefix of {@code # expect: TEXT} lines. */
    static final String EXPECT = "# expect:";

    /** A fenced code block starting at {@code line} (1-based). */
    record Block(int line, String info, List<Command> commands) {
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
     * @param expects what its output must contain
     */
    record Command(int line, String text, List<String> words, List<String> expects) {
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
        String[] lines = markdown.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            // a fence may be indented, inside a list item
            if (line.strip().startsWith("```")) {
                int start = i + 1;
                String info = line.strip().substring(3);
                List<Command> commands = new ArrayList<>();
                i++;
                while (i < lines.length && !lines[i].strip().startsWith("```")) {
                    String text = lines[i].strip();
                    int at = i + 1;
                    if (text.isEmpty()) {
                        i++;
                    } else if (text.startsWith(EXPECT)) {
                        if (commands.isEmpty()) {
                            throw new IllegalArgumentException(name + ":" + at + ": '" + EXPECT + "' before any command");
                        }
                        commands.get(commands.size() - 1).expects().add(text.substring(EXPECT.length()).strip());
                        i++;
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
                        commands.add(new Command(at, command.toString(), words(command.toString()), new ArrayList<>()));
                    }
                }
                if (i >= lines.length) {
                    throw new IllegalArgumentException(name + ":" + start + ": the code block is never closed");
                }
                blocks.add(new Block(start, info, commands.stream()
                        .map(c -> new Command(c.line(), c.text(), c.words(), List.copyOf(c.expects()))).toList()));
            } else if (line.startsWith("## ")) {
                sections.add(line.substring(3).strip());
            }
            i++;
        }
        return new Runbook(name, List.copyOf(sections), List.copyOf(blocks));
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
