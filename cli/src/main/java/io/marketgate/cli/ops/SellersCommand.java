package io.marketgate.cli.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.LocalEndpoints;
import io.marketgate.cli.UsageException;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.limiter.Budget;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.auth.CredentialField;
import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.sellers.InvalidCredentialsException;
import io.marketgate.sellers.SecretDeletion;
import io.marketgate.sellers.SellerCredentialStore;
import io.marketgate.sellers.SellerDirectory;
import io.marketgate.sellers.SellerRecord;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.sellers.SellerStatus;
import io.marketgate.sellers.SellerStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code marketgate sellers add|list|remove}: the sellers of a market and their credentials, straight in the
 * environment's sellers table ({@code <env>-sellers}) and Secrets Manager ({@code <env>/marketgate/sellers/<market>/<sellerId>}),
 * or the local platform's with {@code --local}, the way the API's {@code /v1/sellers} does it (module {@code sellers}).
 *
 * <p>Secret fields are never taken from the command line, where shell history and {@code ps} would keep them: they come
 * from a JSON file or standard input ({@code --credentials-file -}); {@code --field} gives the public ones.
 *
 * <pre>
 * ./marketgate sellers add --market coupang --seller S1 --credentials-file s1.json --env prod
 * pass show coupang/S1 | ./marketgate sellers add --market coupang --seller S1 --credentials-file - --env prod
 * ./marketgate sellers list --market coupang --status credentials-rejected --env prod
 * ./marketgate sellers remove --market coupang --seller S1 --env prod        # asks [y/N]; --yes for scripts
 * </pre>
 */
@Command(name = "sellers",
        mixinStandardHelpOptions = true,
        description = {"The sellers of a market and their credentials: register (secret fields to Secrets Manager only),",
            "list with their status (active, credentials-rejected), remove."},
        subcommands = {SellersCommand.Add.class, SellersCommand.ListCommand.class, SellersCommand.Remove.class})
public final class SellersCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the credential schema of a market comes from; the protocols' factories on the classpath by default. */
    @FunctionalInterface
    interface Schemas extends BiFunction<EnvironmentConfig, String, CredentialSchema> {}

    static final Schemas ADAPTER_SCHEMAS = MarketAdapters::credentialSchema;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every sellers subcommand shares: the environment, the stores, the output. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OperatorOptions options;

        @Option(names = {"-m", "--market"}, required = true, description = "The market.")
        String market;

        /** The markets' credential schemas; a test gives its own. */
        Schemas schemas = ADAPTER_SCHEMAS;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** The market of --market, checked against the environment. */
        String market(EnvironmentConfig env) {
            return Inputs.market(env, market).name();
        }

        /** The stores of {@code env}: the local platform's with --local, else the environment's in its region. */
        Stores stores(EnvironmentConfig env) {
            Optional<LocalEndpoints> local = options.localEndpoints();
            if (local.isPresent()) {
                URI secrets = local.get().secretsManager().orElseThrow(() -> new IllegalStateException(
                        "the running local platform keeps no sellers' secrets (it was started before it did): restart it "
                                + "with './marketgate local up'"));
                DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(local.get().dynamoDb())
                        .region(OperatorAws.LOCAL_REGION).credentialsProvider(OperatorAws.LOCAL_CREDENTIALS)
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
                SecretsManagerClient secretsManager = SecretsManagerClient.builder().endpointOverride(secrets)
                        .region(OperatorAws.LOCAL_REGION).credentialsProvider(OperatorAws.LOCAL_CREDENTIALS)
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
                return new Stores(env, dynamoDb, secretsManager, SecretDeletion.immediately(), schemas,
                        "the local platform's sellers table and Secrets Manager");
            }
            Optional<Region> region = env.aws().region().map(Region::of);
            var dynamoDb = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
            var secretsManager = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
            region.ifPresent(dynamoDb::region);
            region.ifPresent(secretsManager::region);
            return new Stores(env, dynamoDb.build(), secretsManager.build(), SecretDeletion.DEFAULT, schemas,
                    "DynamoDB table " + Stores.table(env) + " and Secrets Manager in " + region.map(Region::id).orElse("the SDK's default region"));
        }
    }

    /** The clients and the directory over them; closing closes the clients. */
    record Stores(DynamoDbClient dynamoDb, SecretsManagerClient secretsManager, SellerDirectory directory, String where)
            implements AutoCloseable {

        Stores(EnvironmentConfig env, DynamoDbClient dynamoDb, SecretsManagerClient secretsManager, SecretDeletion deletion,
                Schemas schemas, String where) {
            this(dynamoDb, secretsManager, new SellerDirectory(new SellerRegistry(dynamoDb, table(env)),
                    Optional.of(new SellerCredentialStore(secretsManager, env.name(), deletion)),
                    m -> schemas.apply(env, m), Clock.systemUTC()), where);
        }

        /** The sellers table as the CDK app (StateStack) and the local platform name it. */
        static String table(EnvironmentConfig env) {
            return env.name() + "-sellers";
        }

        @Override
        public void close() {
            dynamoDb.close();
            secretsManager.close();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Registers a seller with its credentials: checked against the market's credential fields",
                "first (nothing is written when one is wrong), then the secret (every field) and the table's row (the",
                "public fields, status active). Registering again replaces the credentials and makes a",
                "credentials-rejected seller active again. Secret fields come only from --credentials-file."},
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"0:registered", "1:a store failed (the secret was put back as it was)", ExitCodes.USAGE_LINE
                + "; also credentials that break a rule of the market (the field and the rule named, never a value)"})
    static final class Add extends Base {
        @Option(names = {"-s", "--seller"}, required = true, description = "The seller's id at the market.")
        String seller;

        @Option(names = "--credentials-file", paramLabel = "FILE|-",
                description = {"A JSON object of the credential fields ({\"vendorId\":\"…\",\"accessKey\":\"…\",\"secretKey\":\"…\"});",
                    "'-' reads it from standard input (a password manager's pipe)."})
        String credentialsFile;

        @Option(names = {"-f", "--field"}, paramLabel = "NAME=VALUE",
                description = "A public (not secret) field, such as vendorId=A00012345; repeat for more. Secret fields are refused here.")
        List<String> fields = new ArrayList<>();

        /** Standard input, for --credentials-file -; a test gives its own. */
        InputStream stdin = System.in;

        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            String m = market(env);
            checkSeller(seller);
            CredentialSchema schema = schemas.apply(env, m);
            Map<String, String> given = new LinkedHashMap<>();
            if (credentialsFile != null) {
                given.putAll(readCredentials());
            }
            for (String field : fields) {
                int eq = field.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("--field is written NAME=VALUE, such as vendorId=A00012345; was '" + field.split("=", 2)[0] + "…'");
                }
                String name = field.substring(0, eq);
                Optional<CredentialField> declared = schema.fields().stream().filter(f -> f.name().equals(name)).findFirst();
                if (declared.isPresent() && declared.get().secret()) {
                    // said without the value: it is on the command line already, and need not be in the error too
                    throw new UsageException("--field " + name + ": a secret field is never taken from the command line (shell "
                            + "history, ps); give it in --credentials-file FILE, or on standard input with --credentials-file -");
                }
                if (given.containsKey(name)) {
                    throw new UsageException("--field " + name + ": given twice (or also in --credentials-file)");
                }
                given.put(name, field.substring(eq + 1));
            }
            SellerDirectory.Registration registration;
            try (Stores stores = stores(env)) {
                try {
                    registration = stores.directory().register(m, seller, given);
                } catch (InvalidCredentialsException e) {
                    throw new UsageException(e.getMessage() + " (fields of " + m + ": " + describe(schema) + ")", e);
                }
            }
            if (options.json()) {
                Map<String, Object> doc = row(registration.seller());
                doc.put("replaced", registration.replaced());
                OperatorOptions.printJson(out(), doc);
                return ExitCodes.OK;
            }
            SellerRecord s = registration.seller();
            out().printf("%s seller %s of %s: status %s, public fields %s%s%n", registration.replaced() ? "re-registered" : "registered",
                    s.sellerId(), m, s.status().label(), s.publicFields(), schema.isEmpty() ? ""
                            : "; secret " + SellerCredentialStore.secretName(env.name(), m, s.sellerId()));
            out().flush();
            return ExitCodes.OK;
        }

        private Map<String, String> readCredentials() {
            String text;
            try {
                text = "-".equals(credentialsFile)
                        ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(credentialsFile), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new UsageException("--credentials-file " + credentialsFile + " does not exist");
            } catch (IOException e) {
                throw new UsageException("--credentials-file " + credentialsFile + " cannot be read: " + e.getMessage());
            }
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                // the parser's message quotes the text it stumbled on, a secret maybe: only where
                String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
                throw new UsageException("--credentials-file " + credentialsFile + ": not valid JSON" + where);
            }
            if (node == null || !node.isObject()) {
                throw new UsageException("--credentials-file " + credentialsFile + ": must be one JSON object of text fields");
            }
            Map<String, String> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new UsageException("--credentials-file " + credentialsFile + ": credentials." + e.getKey() + " must be a string");
                }
                out.put(e.getKey(), e.getValue().textValue());
            }
            return out;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The market's sellers: status (active, or credentials-rejected or reconnect-required with its reason and "
                    + "time), public fields.")
    static final class ListCommand extends Base {
        @Option(names = "--status", paramLabel = "STATUS", description = "Only sellers of this status: active, credentials-rejected or reconnect-required.")
        String status;

        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            String m = market(env);
            Optional<SellerStatus> only;
            try {
                only = Optional.ofNullable(status).map(SellerStatus::of);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--" + e.getMessage());
            }
            List<SellerRecord> sellers = new ArrayList<>();
            try (Stores stores = stores(env)) {
                Optional<String> after = Optional.empty();
                do {
                    SellerRegistry.Page page = stores.directory().list(m, after, SellerRegistry.MAX_PAGE);
                    page.sellers().stream().filter(s -> only.isEmpty() || s.status() == only.get()).forEach(sellers::add);
                    after = page.next();
                } while (after.isPresent());
            }
            if (options.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("environment", env.name());
                doc.put("market", m);
                doc.put("sellers", sellers.stream().map(SellersCommand::row).toList());
                OperatorOptions.printJson(out(), doc);
                return ExitCodes.OK;
            }
            PrintWriter out = out();
            out.printf("%-24s %-21s %-24s %s%n", "seller", "status", "since", "public fields / reason");
            for (SellerRecord s : sellers) {
                out.printf("%-24s %-21s %-24s %s%n", s.sellerId(), s.status().label() + (s.active() ? "" : " (inactive)"),
                        s.statusSince().map(Object::toString).orElse("-"),
                        s.publicFields() + s.statusReason().map(r -> "  " + r).orElse(""));
            }
            out.printf("%d seller%s of %s%s%n", sellers.size(), sellers.size() == 1 ? "" : "s", m,
                    only.map(st -> " with status " + st.label()).orElse(""));
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Removes a seller: its row, then its secret (in a deployed environment with a 7-day recovery",
                "window: 'aws secretsmanager restore-secret' brings it back, as does registering the seller again; locally",
                "at once). Asks [y/N] unless --yes or --local."},
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"0:removed", "1:refused (no terminal to confirm, and no --yes), cancelled, not registered, or a store failed",
                ExitCodes.USAGE_LINE, "3:the row was removed but the secret was not: run it again"})
    static final class Remove extends Base {
        @Option(names = {"-s", "--seller"}, required = true, description = "The seller's id at the market.")
        String seller;

        @Option(names = {"-y", "--yes"}, description = "Remove without asking (needed when the input is not a terminal; --local never asks).")
        boolean yes;

        /** Where the confirmation is asked; a test answers in the operator's place. */
        Terminal terminal = Terminal.system();

        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            String m = market(env);
            checkSeller(seller);
            if (!yes && !options.local) {
                PrintWriter plan = options.json() ? spec.commandLine().getErr() : out();
                plan.println("Plan for the sellers of environment " + env.name() + ":");
                plan.println("  remove seller " + seller + " of " + m + ": its row in " + Stores.table(env) + ", then its secret "
                        + SellerCredentialStore.secretName(env.name(), m, seller) + " (recoverable for "
                        + SecretDeletion.DEFAULT.recoveryWindow().orElseThrow().toDays() + " days)");
                plan.flush();
                if (!terminal.interactive()) {
                    throw Terminal.noConfirmation();
                }
                if (!terminal.confirm("Remove it from environment " + env.name() + "?")) {
                    spec.commandLine().getErr().println("cancelled: nothing was changed");
                    return ExitCodes.FAILED;
                }
            }
            SellerDirectory.Removal removal;
            try (Stores stores = stores(env)) {
                removal = stores.directory().remove(m, seller);
            } catch (SellerStoreException e) {
                spec.commandLine().getErr().println("marketgate: " + e.getMessage());
                return e.getMessage().contains(" was removed, but ") ? ExitCodes.PARTIAL : ExitCodes.FAILED;
            }
            if (!removal.removedAnything()) {
                throw new IllegalStateException("seller " + seller + " of " + m + " is not registered in environment " + env.name());
            }
            if (options.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("market", m);
                doc.put("sellerId", seller);
                doc.put("rowRemoved", removal.seller().isPresent());
                removal.secret().ifPresent(s -> {
                    Map<String, Object> secret = new LinkedHashMap<>();
                    secret.put("name", s.secretName());
                    s.recoverableUntil().ifPresent(t -> secret.put("recoverableUntil", t.toString()));
                    doc.put("secret", secret);
                });
                OperatorOptions.printJson(out(), doc);
                return ExitCodes.OK;
            }
            out().printf("removed seller %s of %s%s%n", seller, m, removal.secret().map(s -> s.recoverableUntil()
                    .map(t -> "; its secret " + s.secretName() + " can be restored until " + t
                            + " (aws secretsmanager restore-secret --secret-id " + s.secretName() + ")")
                    .orElse("; its secret " + s.secretName() + " is deleted")).orElse(""));
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** A seller as --json prints it: public fields and status, never a secret. */
    static Map<String, Object> row(SellerRecord s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("market", s.market());
        row.put("sellerId", s.sellerId());
        row.put("status", s.status().label());
        s.statusReason().ifPresent(r -> row.put("statusReason", r));
        s.statusSince().ifPresent(t -> row.put("statusSince", t.toString()));
        row.put("active", s.active());
        row.put("publicFields", s.publicFields());
        s.registeredAt().ifPresent(t -> row.put("registeredAt", t.toString()));
        return row;
    }

    private static String describe(CredentialSchema schema) {
        if (schema.isEmpty()) {
            return "none: its key is the environment's; give no credentials";
        }
        return String.join(", ", schema.fields().stream()
                .map(f -> f.name() + (f.secret() ? " (secret)" : "") + (f.required() ? "" : " (optional)")).toList());
    }

    /** The seller id's rule, as the API checks it ({@link Budget#KEY}). */
    static void checkSeller(String seller) {
        if (seller == null || !Budget.KEY.matcher(seller).matches()) {
            throw new UsageException("--seller '" + seller + "' must be 1 to 128 letters, digits, '_', '.', '@' or '-'");
        }
    }
}
