package io.marketgate.deployed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the limiter's store is: a Valkey {@link Cluster} as the CDK app deploys it (ElastiCache in cluster mode,
 * serverless or node-based: a seed {@code host:port}, TLS always, the RBAC user from a Secrets Manager secret), or a
 * {@link Standalone} Valkey server by its {@code redis://} or {@code rediss://} URL, either of which may name a PEM
 * file of CA certificates to trust instead of the JVM's (a private CA, as the tests' cluster has); or a DynamoDB
 * {@link Table}, as the CDK app gives the functions of an egress group whose limiter store is {@code dynamodb} (a
 * dynamic-IP group, outside the VPC).
 *
 * <p>A Lambda reads it from its variables ({@link #fromVariables}); the operator CLI from its options, else the same
 * variables.
 *
 * <pre>{@code
 * Optional<StoreLocation> where = StoreLocation.fromVariables(System::getenv, Optional.empty());
 * StoreLocation prod = StoreLocation.cluster(StoreLocation.seed("prod-limiter-abc.serverless.apn2.cache.amazonaws.com:6379",
 *         "--valkey-cluster"), "prod-limiter-valkey", Optional.empty());
 * }</pre>
 */
public sealed interface StoreLocation {

    /** DynamoDB's table names. */
    java.util.regex.Pattern TABLE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    /** The cluster's {@code host:port} (the cache's endpoint, TLS), as the CDK app sets it on every limiter client. */
    String CLUSTER = "MARKETGATE_VALKEY_CLUSTER";
    /** The name or ARN of the Secrets Manager secret {@code {"username": …, "password": …}} of the cluster's user. */
    String SECRET = "MARKETGATE_VALKEY_SECRET";
    /** A standalone server's URL: {@code redis://host:port} or {@code rediss://[user:password@]host:port}. */
    String URL = "MARKETGATE_VALKEY_URL";
    /** A PEM file of CA certificates a TLS connection trusts instead of the JVM's (optional). */
    String CA = "MARKETGATE_VALKEY_CA";
    /** The DynamoDB limiter table's name ({@code <env>-limiter}), as the CDK app sets it on a dynamic group's functions. */
    String TABLE = "MARKETGATE_LIMITER_TABLE";
    /** The region of the limiter table's client, as Lambda sets it (optional: the SDK's default region otherwise). */
    String REGION = "AWS_REGION";
    /** The SDK's variable of a DynamoDB endpoint other than AWS's, such as a local dynalite (optional). */
    String DYNAMODB_ENDPOINT = "AWS_ENDPOINT_URL_DYNAMODB";

    /** The trusted CA certificates, when not the JVM's. */
    Optional<Path> trustedCertificates();

    /**
     * A cluster in cluster mode, through TLS, as the user of a Secrets Manager secret.
     *
     * @param seed     one node's or the configuration endpoint's host and port
     * @param secretId the secret's name or ARN; it holds {@code {"username": …, "password": …}}
     */
    record Cluster(HostPort seed, String secretId, Optional<Path> trustedCertificates) implements StoreLocation {
        public Cluster {
            Objects.requireNonNull(seed, "seed");
            Objects.requireNonNull(trustedCertificates, "trustedCertificates");
            if (secretId == null || secretId.isBlank()) {
                throw new IllegalArgumentException("the secret of the Valkey cluster's user is missing");
            }
        }

        @Override
        public String toString() {
            return "valkey-cluster " + seed + " (TLS; user from secret " + secretId + ")";
        }
    }

    /**
     * One server by its URL, which may carry a user and password ({@code rediss://user:password@host:port}); the
     * URL is never shown ({@link #toString()} shows its scheme, host and port).
     */
    record Standalone(String url, Optional<Path> trustedCertificates) implements StoreLocation {
        public Standalone {
            Objects.requireNonNull(trustedCertificates, "trustedCertificates");
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String toString() {
            String scheme = url.substring(0, url.indexOf("://"));
            String rest = url.substring(url.indexOf("://") + 3);
            return "valkey " + scheme + "://" + rest.substring(rest.lastIndexOf('@') + 1);
        }
    }

    /**
     * The DynamoDB limiter table (see {@code io.marketgate.limiter.dynamodb.LimiterTable}), with the SDK's default
     * credentials (in Lambda: the function's role).
     *
     * @param name     the table's name
     * @param region   the region, when the variables name one ({@value #REGION}, which Lambda sets); else the SDK's default
     * @param endpoint a DynamoDB-compatible server instead of DynamoDB ({@value #DYNAMODB_ENDPOINT}, the SDK's own
     *                 variable for it), for local runs
     */
    record Table(String name, Optional<String> region, Optional<java.net.URI> endpoint) implements StoreLocation {
        public Table {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the limiter table's name is missing");
            }
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(endpoint, "endpoint");
        }

        /** A table has no TLS settings of its own: the SDK's. */
        @Override
        public Optional<Path> trustedCertificates() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "dynamodb table " + name + endpoint.map(e -> " at " + e).orElse("");
        }
    }

    /** A host and a port (1..65535). */
    record HostPort(String host, int port) {
        public HostPort {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host is missing");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port is " + port + ", must be 1..65535");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** A cluster location; {@code trustedCertificates} as {@link #caFile} checked it. */
    static StoreLocation cluster(HostPort seed, String secretId, Optional<Path> trustedCertificates) {
        return new Cluster(seed, secretId, trustedCertificates);
    }

    /**
     * Parses a cluster seed {@code host:port}.
     *
     * @param source the variable or option it came from, named in the error
     * @throws IllegalArgumentException naming {@code source} when it is not {@code host:port}
     */
    static HostPort seed(String value, String source) {
        String v = value == null ? "" : value.strip();
        int colon = v.lastIndexOf(':');
        if (v.contains("://") || colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException(source + " is '" + value + "', must be host:port (the cache's endpoint, no scheme)");
        }
        try {
            return new HostPort(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is '" + value + "', must be host:port with a port of 1..65535", e);
        }
    }

    /**
     * Checks a standalone URL: {@code redis://host:port} or {@code rediss://[user:password@]host:port}. The error
     * shows the URL without its user and password.
     *
     * @throws IllegalArgumentException naming {@code source}
     */
    static Standalone standalone(String value, String source, Optional<Path> trustedCertificates) {
        String v = value == null ? "" : value.strip();
        if (!(v.startsWith("redis://") || v.startsWith("rediss://")) || v.indexOf("://") + 3 >= v.length()) {
            throw new IllegalArgumentException(source + " is '" + withoutUserInfo(v) + "', must be redis://host:port or "
                    + "rediss://[user:password@]host:port");
        }
        return new Standalone(v, trustedCertificates);
    }

    /**
     * Checks a CA file: a readable regular file.
     *
     * @throws IllegalArgumentException naming {@code source} and the file
     */
    static Path caFile(String value, String source) {
        Path file = Path.of(value.strip());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(source + " is '" + value + "', which is not a readable file (a PEM file of CA certificates)");
        }
        return file;
    }

    /**
     * The location the variables name: {@value #CLUSTER} with {@value #SECRET} (or {@code defaultSecret}), or
     * {@value #URL}, each with the optional {@value #CA}; or {@value #TABLE}; empty when none is set.
     *
     * @throws IllegalArgumentException naming the variable: more than one set, the cluster without a secret, a malformed
     *         value
     */
    static Optional<StoreLocation> fromVariables(Function<String, String> variables, Optional<String> defaultSecret) {
        return fromVariables(variables, Optional.empty(), defaultSecret, Optional.empty());
    }

    /**
     * As {@link #fromVariables(Function, Optional)}, with an operator's own {@code secret} and {@code ca} (the CLI's
     * {@code --valkey-secret} and {@code --valkey-ca}) in place of {@value #SECRET} and {@value #CA} when present.
     *
     * @throws IllegalArgumentException naming the variable: both set, the cluster without a secret, a malformed value
     */
    static Optional<StoreLocation> fromVariables(Function<String, String> variables, Optional<String> secret,
            Optional<String> defaultSecret, Optional<Path> ca) {
        String cluster = value(variables, CLUSTER);
        String url = value(variables, URL);
        String table = value(variables, TABLE);
        if (cluster != null && url != null) {
            throw new IllegalArgumentException(CLUSTER + " and " + URL + " are both set; set one: the cluster the CDK app "
                    + "deployed, or a standalone server");
        }
        if (table != null) {
            if (cluster != null || url != null) {
                throw new IllegalArgumentException(TABLE + " and " + (cluster != null ? CLUSTER : URL) + " are both set; set "
                        + "one: the limiter's DynamoDB table (a dynamic-IP egress group) or its Valkey");
            }
            if (!TABLE_NAME.matcher(table).matches()) {
                throw new IllegalArgumentException(TABLE + " is '" + table + "', must be a DynamoDB table name: 3 to 255 "
                        + "letters, digits, '_', '-' or '.'");
            }
            String endpoint = value(variables, DYNAMODB_ENDPOINT);
            java.net.URI uri = null;
            if (endpoint != null) {
                String rule = DYNAMODB_ENDPOINT + " is '" + endpoint + "', must be an http:// or https:// URL";
                if (!(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
                    throw new IllegalArgumentException(rule);
                }
                try {
                    uri = java.net.URI.create(endpoint);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(rule, e);
                }
            }
            return Optional.of(new Table(table, Optional.ofNullable(value(variables, REGION)), Optional.ofNullable(uri)));
        }
        Optional<Path> trusted = ca.isPresent() ? ca : Optional.ofNullable(value(variables, CA)).map(f -> caFile(f, CA));
        if (cluster != null) {
            String secretId = secret.or(() -> Optional.ofNullable(value(variables, SECRET))).or(() -> defaultSecret).orElseThrow(() ->
                    new IllegalArgumentException(CLUSTER + " is set but " + SECRET + " is not: the cluster needs its RBAC user"));
            return Optional.of(cluster(seed(cluster, CLUSTER), secretId, trusted));
        }
        if (url != null) {
            return Optional.of(standalone(url, URL, trusted));
        }
        return Optional.empty();
    }

    /** {@code scheme://***@host:port} for a value with a user part; the value itself otherwise. */
    private static String withoutUserInfo(String value) {
        int scheme = value.indexOf("://");
        int at = value.lastIndexOf('@');
        return at > scheme && scheme >= 0 ? value.substring(0, scheme + 3) + "***" + value.substring(at) : at >= 0 ? "***" + value.substring(at) : value;
    }

    private static String value(Function<String, String> variables, String name) {
        String v = variables.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
