package io.marketgate.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The dev environment with Cafe24 on its own protocol (sellers connect their malls by consent), in an egress group the
 * test chooses: the shipped files are not changed, a copy of {@code environments/dev.yaml} is, as a tree (so that it
 * holds whatever the shipped Cafe24 section says), in a directory of its own that is removed after synthesis.
 *
 * <pre>{@code
 * Synthesized s = Cafe24Fixture.onDynamicGroup();   // Cafe24 outside the VPC, its budgets in the limiter table
 * Synthesized v = Cafe24Fixture.onValkeyGroup();    // Cafe24 in the fixed-IP group, its budgets in Valkey
 * }</pre>
 */
final class Cafe24Fixture {

    /** The dynamic-IP group the fixture adds; its limiter store is DynamoDB. */
    static final String DYNAMIC_GROUP = "open";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Each fixture synthesized once per test run, shared by the test classes that read it. */
    private static final Map<String, Synthesized> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Cafe24's section on its own protocol: a per-mall bucket, the token endpoint on a budget of its own. */
    private static final String CAFE24 = """
            budgets:
              mall: {scope: mall, limit: 36, window: 20s}
              burst: {scope: mall, limit: 10, window: 1s}
              token: {scope: endpoint, limit: 5, window: 1s}
            calls:
              token: {budgets: [cafe24/token]}
              list-orders: {budgets: [cafe24/mall, cafe24/burst]}
              get-order: {budgets: [cafe24/mall, cafe24/burst]}
              ship-order: {budgets: [cafe24/mall, cafe24/burst]}
            adapter:
              type: cafe24
              redirectUri: https://api.example.com/v1/connections/callback
              calls: {token: token, listOrders: list-orders, getOrder: get-order, shipOrder: ship-order}
            """;

    private Cafe24Fixture() {}

    /** Dev with Cafe24 on its protocol in the dynamic-IP group {@value #DYNAMIC_GROUP} (limiter store DynamoDB). */
    static Synthesized onDynamicGroup() {
        return CACHE.computeIfAbsent("dynamic", k -> synthesize(groups -> {
            groups.set(DYNAMIC_GROUP, YAML.valueToTree(Map.of("kind", "dynamic", "limiterStore", "dynamodb")));
            return DYNAMIC_GROUP;
        }));
    }

    /** Dev with Cafe24 on its protocol in the platform's fixed-IP group (limiter store Valkey). */
    static Synthesized onValkeyGroup() {
        return CACHE.computeIfAbsent("valkey", k -> synthesize(Cafe24Fixture::fixedGroup));
    }

    /**
     * Writes into {@code dir} dev with Cafe24 on its protocol and a second market whose sellers connect by consent,
     * {@code cafe24-b} (Cafe24's copy), Cafe24 in the dynamic group with the DynamoDB limiter and {@code cafe24-b} in the
     * fixed-IP group with Valkey: two stores, which the API cannot open both.
     */
    static void writeConsentMarketsOnTwoStores(Path dir) {
        write(dir, groups -> {
            groups.set(DYNAMIC_GROUP, YAML.valueToTree(Map.of("kind", "dynamic", "limiterStore", "dynamodb")));
            return DYNAMIC_GROUP;
        }, root -> {
            ObjectNode markets = (ObjectNode) root.path("markets");
            String copy;
            try {
                copy = YAML.writeValueAsString(markets.path("cafe24")).replace("cafe24/", "cafe24-b/");
                markets.set("cafe24-b", YAML.readTree(copy));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ObjectNode infra = (ObjectNode) root.path("infrastructure").path("markets");
            ObjectNode b = infra.path("cafe24").deepCopy();
            b.put("egressGroup", fixedGroup((ObjectNode) root.path("infrastructure").path("egressGroups")));
            infra.set("cafe24-b", b);
        });
    }

    private static String fixedGroup(ObjectNode groups) {
        return groups.properties().stream().filter(e -> "fixed-ip".equals(e.getValue().path("kind").asText()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /** Writes the fixture into a directory of its own, synthesizes it and removes the directory. */
    private static Synthesized synthesize(Function<ObjectNode, String> groupOf) {
        Path dir;
        try {
            dir = Files.createTempDirectory("cdk-cafe24");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            write(dir, groupOf, root -> { });
            return Synthesized.synthesize(Deployment.load(dir, "dev", Synthesized.TEST_ASSET));
        } finally {
            delete(dir);
        }
    }

    /**
     * Writes {@code dir/environments/dev.yaml} (the shipped one with Cafe24 on its protocol, in the group {@code groupOf}
     * adds or picks among the egress groups, then {@code more}'s edits; a dynamic group that no market uses then, left
     * from the shipped file, is removed) and {@code dir/canary-config/dev.yaml}.
     */
    static void write(Path dir, Function<ObjectNode, String> groupOf, Consumer<ObjectNode> more) {
        try {
            ObjectNode root = (ObjectNode) YAML.readTree(Synthesized.ROOT.resolve("environments/dev.yaml").toFile());
            ObjectNode cafe24 = (ObjectNode) root.path("markets").path("cafe24");
            JsonNode section = YAML.readTree(CAFE24);
            section.properties().forEach(e -> cafe24.set(e.getKey(), e.getValue()));
            ObjectNode groups = (ObjectNode) root.path("infrastructure").path("egressGroups");
            ObjectNode markets = (ObjectNode) root.path("infrastructure").path("markets");
            ((ObjectNode) markets.path("cafe24")).put("egressGroup", groupOf.apply(groups));
            more.accept(root);
            List<String> used = new ArrayList<>();
            markets.forEach(m -> used.add(m.path("egressGroup").asText()));
            List<String> unused = new ArrayList<>();
            groups.properties().forEach(g -> {
                if ("dynamic".equals(g.getValue().path("kind").asText()) && !used.contains(g.getKey())) {
                    unused.add(g.getKey());
                }
            });
            unused.forEach(groups::remove);
            Files.createDirectories(dir.resolve("environments"));
            Files.createDirectories(dir.resolve("canary-config"));
            YAML.writeValue(dir.resolve("environments/dev.yaml").toFile(), root);
            Files.copy(Synthesized.ROOT.resolve("canary-config/dev.yaml"), dir.resolve("canary-config/dev.yaml"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
