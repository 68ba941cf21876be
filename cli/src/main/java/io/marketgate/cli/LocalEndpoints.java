package io.marketgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a running local platform ({@code ./marketgate local up}) can be reached: the file it writes when it is
 * up and deletes when it stops, and that every operator command run with {@code --local} reads. It lives in the
 * operator's module, not the local runtime's, so that the operator's jar reads it without carrying the emulators
 * ({@code local up} is in dev-tools, which depends on this module).
 *
 * <pre>{@code
 * LocalEndpoints.write(LocalEndpoints.defaultFile(), endpoints);     // local up
 * LocalEndpoints here = LocalEndpoints.read(LocalEndpoints.defaultFile());   // marketgate limiter status --local
 * }</pre>
 *
 * @param environment the environment file the platform runs (its budgets, markets and key prefix)
 * @param api the HTTP front's base URL ({@code http://127.0.0.1:PORT})
 * @param valkeyUrl the limiter's store ({@code redis://127.0.0.1:PORT}), or empty when it runs the in-memory store
 * @param sqs the SQS-compatible server's endpoint
 * @param dynamoDb the DynamoDB-compatible server's endpoint
 * @param s3 the S3-compatible server's endpoint, or empty when the platform runs none
 * @param apiGateway an endpoint that answers API Gateway's management API for the local stage, or empty
 * @param pid the platform's process id, so a reader can tell a stale file from a live platform
 * @param secretsManager the Secrets Manager-compatible server that keeps the sellers' credentials, or empty when the
 *     platform runs none (a file written before it did)
 */
public record LocalEndpoints(
        String environment,
        URI api,
        Optional<String> valkeyUrl,
        URI sqs,
        URI dynamoDb,
        Optional<URI> s3,
        Optional<URI> apiGateway,
        long pid,
        Optional<URI> secretsManager) {

    /** The variable that overrides {@link #defaultFile()}. */
    public static final String FILE_VARIABLE = "MARKETGATE_LOCAL_FILE";

    /**
     * The system property that overrides {@link #defaultFile()} when {@link #FILE_VARIABLE} is not set: how a test (or
     * anything else in one JVM, which cannot set its own environment) points in-process commands at a platform it
     * started.
     */
    public static final String FILE_PROPERTY = "marketgate.localFile";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .enable(SerializationFeature.INDENT_OUTPUT);

    public LocalEndpoints {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(valkeyUrl, "valkeyUrl");
        Objects.requireNonNull(sqs, "sqs");
        Objects.requireNonNull(dynamoDb, "dynamoDb");
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(apiGateway, "apiGateway");
        secretsManager = secretsManager == null ? Optional.empty() : secretsManager;
    }

    /** Endpoints without a Secrets Manager. */
    public LocalEndpoints(String environment, URI api, Optional<String> valkeyUrl, URI sqs, URI dynamoDb, Optional<URI> s3,
            Optional<URI> apiGateway, long pid) {
        this(environment, api, valkeyUrl, sqs, dynamoDb, s3, apiGateway, pid, Optional.empty());
    }

    /**
     * {@code $MARKETGATE_LOCAL_FILE} when set, else the system property {@value #FILE_PROPERTY}, else
     * {@code .marketgate/local.json} under the project's root (the system property {@code marketgate.home} that
     * {@code ./marketgate} sets), else under the working directory.
     */
    public static Path defaultFile() {
        String file = System.getenv(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            return Path.of(file);
        }
        String property = System.getProperty(FILE_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        return Path.of(System.getProperty("marketgate.home", ".")).resolve(".marketgate").resolve("local.json");
    }

    /** Writes {@code endpoints} to {@code file} atomically (a reader never sees half a file), creating its folder. */
    public static void write(Path file, LocalEndpoints endpoints) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, "local", ".json.tmp");
            JSON.writeValue(temporary.toFile(), endpoints);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local platform's endpoints to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the file; throws {@link IllegalStateException} saying to run {@code ./marketgate local up} when there
     * is none, or that the platform that wrote it is gone.
     */
    public static LocalEndpoints read(Path file) {
        LocalEndpoints endpoints;
        try {
            endpoints = JSON.readValue(Files.readAllBytes(file), LocalEndpoints.class);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no local platform is running (" + file + " does not exist): start one with "
                    + "'./marketgate local up' in another terminal");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the local platform's endpoints from " + file + ": " + e.getMessage(), e);
        }
        if (endpoints.pid() != ProcessHandle.current().pid()
                && ProcessHandle.of(endpoints.pid()).map(p -> !p.isAlive()).orElse(true)) {
            throw new IllegalStateException("the local platform that wrote " + file + " (pid " + endpoints.pid()
                    + ") is no longer running: start one with './marketgate local up'");
        }
        return endpoints;
    }

    /** Deletes the file if it is there and was written by this process. */
    public static void deleteIfOurs(Path file) {
        try {
            if (Files.exists(file) && JSON.readValue(Files.readAllBytes(file), LocalEndpoints.class).pid() == ProcessHandle.current().pid()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }
}
