package io.marketgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The assertions of the loaders' tests: each problem names the file, the path inside it and the rule. */
public final class ConfigFileAssertions {

    private ConfigFileAssertions() {}

    /** {@code text} with {@code from} replaced; fails when {@code from} is not there, so a test cannot pass by accident. */
    public static String replace(String text, String from, String to) {
        assertThat(text).as("the text to replace").contains(from);
        return text.replace(from, to);
    }

    /** The {@link ConfigException} that {@code load} throws; fails when it throws none. */
    public static ConfigException loadFails(Path file, ThrowingCallable load) {
        ConfigException e = catchThrowableOfType(ConfigException.class, load);
        assertThat(e).as("loading %s should fail", file).isNotNull();
        return e;
    }

    /** {@code e} has a problem at {@code path} of {@code file} whose rule contains {@code rule}, and its message says so on one line. */
    public static void assertReports(ConfigException e, Path file, String path, String rule) {
        assertThat(e).as("an exception").isNotNull();
        assertThat(e.problems()).as(e.getMessage())
                .anySatisfy(p -> {
                    assertThat(p.file()).isEqualTo(file);
                    assertThat(p.path()).isEqualTo(path);
                    assertThat(p.rule()).contains(rule);
                });
        String prefix = path.isEmpty() ? file + ": " : file + ": " + path + ": ";
        assertThat(e.getMessage().lines()).anySatisfy(line -> assertThat(line).startsWith(prefix).contains(rule));
    }
}
