package io.marketgate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A secret written in an environment file (an API key): either {@code ${env:NAME}}, read from the process
 * environment when the handlers build their market client, or, for development and simulated markets, the
 * value itself. The file and path it came from are kept so that a missing variable is reported like any other
 * configuration problem.
 *
 * <p>The value is resolved late, not by the loader, because most readers of an environment file (the CDK app,
 * the CLI's limiter commands) never call the market and must not need its credentials.
 *
 * <p>{@code toString()} never shows a literal value, and no message of this class contains it.
 *
 * <pre>{@code
 * String key = rest.apiKey().resolve(System::getenv);   // ConfigException naming file and path when unset
 * }</pre>
 */
public sealed interface SecretValue {

    /** The name of an environment variable: letters, digits and '_', not starting with a digit. */
    Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Where the secret was written, for error messages. */
    Path file();

    /** The path of the secret inside the file, for example {@code markets.coupang.adapter.apiKey}. */
    String path();

    /**
     * The secret's value; {@code environment} looks a variable up ({@code System::getenv} in production) and
     * returns null for an unset one.
     *
     * @throws ConfigException naming the file, the path and the variable when it is unset or empty
     */
    String resolve(Function<String, String> environment);

    /** The value written in the file itself. */
    record Literal(String value, Path file, String path) implements SecretValue {
        public Literal {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String resolve(Function<String, String> environment) {
            return value;
        }

        @Override
        public String toString() {
            return "(literal secret, redacted)";
        }
    }

    /** {@code ${env:NAME}}: the value of the environment variable {@code variable}. */
    record FromEnvironment(String variable, Path file, String path) implements SecretValue {
        public FromEnvironment {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(path, "path");
            if (!VARIABLE.matcher(variable).matches()) {
                throw new IllegalArgumentException("environment variable name '" + variable
                        + "' must be letters, digits and '_', not starting with a digit");
            }
        }

        @Override
        public String resolve(Function<String, String> environment) {
            String value = environment.apply(variable);
            if (value == null || value.isBlank()) {
                throw new ConfigException(List.of(new ConfigProblem(file, path, "environment variable " + variable
                        + (value == null ? " is not set" : " is empty") + "; set it to the market's API key")));
            }
            return value;
        }

        @Override
        public String toString() {
            return "${env:" + variable + "}";
        }
    }
}
