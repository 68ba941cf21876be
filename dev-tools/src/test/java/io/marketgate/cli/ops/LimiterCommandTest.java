package io.marketgate.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code marketgate limiter …} against a real Valkey/Redis server the test starts, with the dev environment's budgets. */
class LimiterCommandTest {
    private static final String ENVIRONMENTS = Path.of("..", "environments").toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ValkeyServer server;
    private static EnvironmentConfig dev;

    @BeforeAll
    static void startServer() {
        server = new ValkeyServer().start();
        dev = EnvironmentLoader.load(Path.of(ENVIRONMENTS), "dev");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void emptyStore() {
        server.command("FLUSHALL");
    }

    /** A limiter command against the test's server; a change with --yes, since the test is not a terminal. */
    private static CliRun limiter(String... args) {
        List<String> all = new ArrayList<>(List.of("limiter"));
        all.addAll(List.of(args));
        all.addAll(List.of("--environments", ENVIRONMENTS, "--valkey", server.uri()));
        if (!args[0].equals("status")) {
            all.add("--yes");
        }
        return CliRun.of(all);
    }

    private static JsonNode statusJson(String market) throws Exception {
        CliRun run = limiter("status", "--market", market, "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return JSON.readTree(run.out());
    }

    private static JsonNode budget(JsonNode status, String name) {
        for (JsonNode b : status.path("budgets")) {
            if (b.path("budget").asText().equals(name)) {
                return b;
            }
        }
        throw new AssertionError("no budget " + name + " in " + status);
    }

    @Test
    void pausing_low_on_a_market_pauses_it_on_every_shared_budget_until_the_duration_has_passed() throws Exception {
        // GIVEN nothing paused on 11st
        // WHEN LOW is paused for 15 minutes on the market
        CliRun run = limiter("pause", "--market", "11st", "--priority", "low", "--for", "15m");
        // THEN both 11st budgets show LOW paused for about 15 minutes, and a LOW call is refused by the fleet's limiter
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("paused LOW on 11st/pace, 11st/api-key for 15m");
        JsonNode status = statusJson("11st");
        for (String name : List.of("11st/pace", "11st/api-key")) {
            JsonNode b = budget(status, name);
            Instant until = Instant.parse(b.at("/pausedUntil/LOW").asText());
            Instant storeTime = Instant.parse(b.path("storeTime").asText());
            assertThat(Duration.between(storeTime, until)).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
            assertThat(b.path("pausedUntil").has("MEDIUM")).isFalse();
        }
        try (PriorityLimiter fleet = fleetLimiter("11st")) {
            assertThat(fleet.tryAcquire(Call.of(Priority.LOW, "11st/pace", "11st/api-key")).reason().name()).isEqualTo("PAUSED");
            assertThat(fleet.tryAcquire(Call.of(Priority.HIGH, "11st/pace", "11st/api-key")).granted()).isTrue();
        }

        // WHEN it is resumed
        CliRun resumed = limiter("resume", "--market", "11st", "--priority", "LOW");
        // THEN no budget shows a pause any more
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("resumed LOW on 11st/pace, 11st/api-key").contains("paused       none");
        assertThat(budget(statusJson("11st"), "11st/api-key").path("pausedUntil").isEmpty()).isTrue();
    }

    @Test
    void status_shows_usage_per_priority_over_the_last_window_and_a_cool_down() throws Exception {
        // GIVEN the fleet admitted 2 MEDIUM and 1 HIGH call on seller s-1's 11st/api-key window (each 11st seller has
        // its own key) and a 429 started a cool-down
        try (PriorityLimiter fleet = fleetLimiter("11st")) {
            assertThat(fleet.tryAcquire(Call.of(Priority.HIGH, "11st/api-key:s-1")).granted()).isTrue();
            assertThat(fleet.tryAcquire(Call.of(Priority.MEDIUM, "11st/api-key:s-1")).granted()).isTrue();
            assertThat(fleet.tryAcquire(Call.of(Priority.MEDIUM, "11st/api-key:s-1")).granted()).isTrue();
            fleet.reportThrottled("11st/api-key:s-1", Duration.ofMinutes(2));
        }
        // WHEN an operator reads the status of that seller's window
        CliRun text = limiter("status", "--market", "11st", "--budget", "api-key:s-1");
        CliRun json = limiter("status", "--market", "11st", "--budget", "api-key:s-1", "--json");
        JsonNode b = budget(JSON.readTree(json.out()), "11st/api-key:s-1");
        // THEN it shows the usage per priority (the window is 10 s), the lowered limit and the cool-down
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("11st/api-key:s-1  limit 10 per 10s, effective 5")
                .contains("last window  HIGH 1  MEDIUM 2  LOW 0  (3 of 5)")
                .contains("cool-down    cooling down until");
        assertThat(b.at("/usageLastWindow/MEDIUM").asLong()).isEqualTo(2);
        assertThat(b.at("/usageLastWindow/HIGH").asLong()).isEqualTo(1);
        assertThat(b.path("effectiveLimit").asLong()).isEqualTo(5);
        assertThat(b.path("coolingDownUntil").isTextual()).isTrue();
    }

    @Test
    void set_limit_overrides_one_budget_for_a_while_and_clear_limit_ends_it() throws Exception {
        // WHEN the limit of naver/dispatch is set to 1 for 30 minutes
        CliRun run = limiter("set-limit", "--market", "naver", "--budget", "naver/dispatch", "--limit", "1", "--for", "30m");
        // THEN the status shows the override and its effective limit; the other naver budgets are untouched
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("set the limit of naver/dispatch to 1 (configured 2) for 30m").contains("override     limit 1 until");
        JsonNode status = statusJson("naver");
        assertThat(budget(status, "naver/dispatch").path("overrideLimit").asLong()).isEqualTo(1);
        assertThat(budget(status, "naver/dispatch").path("effectiveLimit").asLong()).isEqualTo(1);
        assertThat(budget(status, "naver/product-orders").path("overrideLimit").isNull()).isTrue();

        // WHEN it is cleared
        CliRun cleared = limiter("clear-limit", "--market", "naver", "--budget", "dispatch");
        // THEN the configured limit is back
        assertThat(cleared.exitCode()).as(cleared.toString()).isZero();
        assertThat(budget(statusJson("naver"), "naver/dispatch").path("effectiveLimit").asLong()).isEqualTo(2);
    }

    @Test
    void pausing_a_per_vendor_budget_pauses_every_vendor_until_it_is_resumed() throws Exception {
        // WHEN LOW is paused on coupang's configured per-vendor budget
        CliRun run = limiter("pause", "--market", "coupang", "--budget", "vendor", "--priority", "LOW", "--for", "15m");
        // THEN it says that every vendor's instance follows, and a LOW call of any vendor is refused; MEDIUM goes on
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("paused LOW on coupang/vendor for 15m; per-instance budgets apply to each instance: coupang/vendor (every vendor)")
                .contains("instances    one window per vendor; its pauses and override below apply to every vendor")
                .contains("paused       LOW until");
        try (PriorityLimiter fleet = fleetLimiter("coupang")) {
            assertThat(fleet.tryAcquire(Call.of(Priority.LOW, "coupang/vendor:coupang-s0001")).reason().name()).isEqualTo("PAUSED");
            assertThat(fleet.tryAcquire(Call.of(Priority.LOW, "coupang/vendor:coupang-s0002")).reason().name()).isEqualTo("PAUSED");
            assertThat(fleet.tryAcquire(Call.of(Priority.MEDIUM, "coupang/vendor:coupang-s0001")).granted()).isTrue();
        }
        // AND one vendor's status shows the pause it obeys, and its usage
        CliRun one = limiter("status", "--market", "coupang", "--budget", "vendor:coupang-s0001");
        assertThat(one.out()).contains("coupang/vendor:coupang-s0001  limit 10 per 1s").contains("paused       LOW until")
                .contains("last window  HIGH 0  MEDIUM 1  LOW 0");
        assertThat(budget(statusJson("coupang"), "coupang/vendor").path("perInstance").asText()).isEqualTo("vendor");

        // WHEN it is resumed THEN every vendor admits LOW again
        assertThat(limiter("resume", "--market", "coupang", "--budget", "coupang/vendor", "--priority", "LOW").exitCode()).isZero();
        try (PriorityLimiter fleet = fleetLimiter("coupang")) {
            assertThat(fleet.tryAcquire(Call.of(Priority.LOW, "coupang/vendor:coupang-s0002")).granted()).isTrue();
        }
    }

    @Test
    void a_market_wide_pause_covers_per_seller_budgets_too() throws Exception {
        // WHEN MEDIUM is paused on naver without --budget: its per-API budgets and its per-seller quota
        CliRun run = limiter("pause", "--market", "naver", "--priority", "MEDIUM", "--for", "10m");
        // THEN every budget is paused, the per-seller one for every seller
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode status = statusJson("naver");
        assertThat(status.path("budgets")).isNotEmpty()
                .allSatisfy(b -> assertThat(b.path("pausedUntil").has("MEDIUM")).as(b.toString()).isTrue());
        String perSeller = null;
        for (JsonNode b : status.path("budgets")) {
            if (!b.path("perInstance").isNull()) {
                perSeller = b.path("budget").asText();
            }
        }
        assertThat(perSeller).as("naver has a per-seller budget in dev.yaml").isNotNull();
        try (PriorityLimiter fleet = fleetLimiter("naver")) {
            assertThat(fleet.tryAcquire(Call.of(Priority.MEDIUM, perSeller + ":seller-7")).reason().name()).isEqualTo("PAUSED");
        }
    }

    @Test
    void one_vendor_can_be_paused_or_limited_alone() throws Exception {
        // WHEN LOW is paused on one vendor's instance, and the limit of another is set to 2
        CliRun run = limiter("pause", "--market", "coupang", "--budget", "vendor:coupang-s0001", "--priority", "LOW", "--for", "10m");
        CliRun limit = limiter("set-limit", "--market", "coupang", "--budget", "vendor:coupang-s0003", "--limit", "2", "--for", "10m");
        // THEN only those vendors are affected
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(limit.exitCode()).as(limit.toString()).isZero();
        assertThat(limit.out()).contains("set the limit of coupang/vendor:coupang-s0003 to 2 (configured 10) for 10m");
        try (PriorityLimiter fleet = fleetLimiter("coupang")) {
            assertThat(fleet.tryAcquire(Call.of(Priority.LOW, "coupang/vendor:coupang-s0001")).granted()).isFalse();
            assertThat(fleet.tryAcquire(Call.of(Priority.LOW, "coupang/vendor:coupang-s0002")).granted()).isTrue();
        }
        assertThat(limiter("status", "--market", "coupang", "--budget", "vendor:coupang-s0003").out()).contains("effective 2");
        assertThat(limiter("status", "--market", "coupang", "--budget", "vendor:coupang-s0002").out()).contains("effective 10");
    }

    @Test
    void a_limit_set_on_a_per_vendor_budget_applies_to_every_vendor() throws Exception {
        // WHEN the per-vendor limit is set to 4 for 30 minutes
        CliRun run = limiter("set-limit", "--market", "coupang", "--budget", "vendor", "--limit", "4", "--for", "30m");
        // THEN every vendor's instance has the effective limit 4
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(limiter("status", "--market", "coupang", "--budget", "vendor:coupang-s0042").out())
                .contains("effective 4").contains("override     limit 4 until");
        // WHEN it is cleared THEN the configured 10 is back
        assertThat(limiter("clear-limit", "--market", "coupang", "--budget", "vendor").exitCode()).isZero();
        assertThat(limiter("status", "--market", "coupang", "--budget", "vendor:coupang-s0042").out()).contains("effective 10");
    }

    @Test
    void a_change_the_operator_confirms_on_a_terminal_is_applied() throws Exception {
        // GIVEN an operator at a terminal who answers y
        List<String> prompts = new ArrayList<>();
        Terminal operator = new Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public String readLine(String prompt) {
                prompts.add(prompt);
                return "y";
            }
        };
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K command = CommandLine.defaultFactory().create(cls);
                if (command instanceof LimiterCommand.Changing changing) {
                    changing.terminal = operator;
                }
                return command;
            }
        };
        // WHEN a pause of the deployed dev environment's store runs without --yes
        CliRun run = CliRun.of(factory, List.of("limiter", "pause", "--market", "11st", "--budget", "pace", "--priority", "LOW",
                "--for", "10m", "--environments", ENVIRONMENTS, "--valkey", server.uri()));
        // THEN the plan was shown, asked for once, and applied
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(prompts).containsExactly("Apply this change to environment dev? [y/N] ");
        assertThat(run.out()).contains("Plan for the limiter of environment dev:\n  pause LOW on 11st/pace for 10m")
                .contains("paused LOW on 11st/pace for 10m");
        assertThat(budget(statusJson("11st"), "11st/pace").path("pausedUntil").has("LOW")).isTrue();
    }

    @Test
    void a_malformed_valkey_url_is_refused_naming_the_option() {
        CliRun run = CliRun.of("limiter", "pause", "--market", "11st", "--priority", "LOW", "--for", "1m", "--environments", ENVIRONMENTS,
                "--valkey", "http://127.0.0.1:6379");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("marketgate: --valkey is 'http://127.0.0.1:6379', must be redis://host:port");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown market       | pause --market nave --priority LOW --for 15m                         | --market: unknown market 'nave' in environment dev; configured markets: coupang, naver, cafe24, 11st",
        "unknown budget       | pause --market 11st --budget pase --priority LOW --for 15m           | --budget: unknown budget 'pase' of market 11st; its budgets: pace, api-key",
        "budget of a market   | pause --market 11st --budget naver/dispatch --priority LOW --for 15m | --budget naver/dispatch belongs to market 'naver', not to --market 11st",
        "unknown priority     | pause --market 11st --priority LOWEST --for 15m                      | --priority is 'LOWEST', must be one of HIGH, MEDIUM, LOW",
        "negative duration    | pause --market 11st --priority LOW --for -15m                        | --for is -15m, a negative duration; it must be more than 0 and at most 7d",
        "zero duration        | pause --market 11st --priority LOW --for 0s                          | --for is 0s, must be more than 0 and at most 7d",
        "too long             | pause --market 11st --priority LOW --for 8d                          | --for is 8d, must be more than 0 and at most 7d",
        "not a duration       | pause --market 11st --priority LOW --for soon                        | --for: 'soon' is not a duration",
        "zero limit           | set-limit --market 11st --budget pace --limit 0 --for 30m            | --limit is 0, must be in 1..1000000000",
        "negative limit       | set-limit --market 11st --budget pace --limit -3 --for 30m           | --limit is -3, must be in 1..1000000000",
        "limit, bad duration  | set-limit --market 11st --budget pace --limit 5 --for -1m            | --for is -1m, a negative duration",
        "key on shared budget | set-limit --market naver --budget dispatch:k1 --limit 5 --for 1m     | --budget dispatch:k1: naver/dispatch is one budget for the whole fleet (endpoint scope); name it without ':k1'",
        "resume, bad priority | resume --market 11st --priority URGENT                               | --priority is 'URGENT', must be one of HIGH, MEDIUM, LOW",
        "slash in a key       | pause --market coupang --budget vendor:v/1 --priority LOW --for 1m   | --budget vendor:v/1: budget name 'coupang/vendor:v/1': the key after ':' must be 1 to 128 letters",
        "unknown environment  | pause --market 11st --priority LOW --for 15m --env prdo              | --env is 'prdo', but ",
    })
    void bad_input_gets_a_clear_error_and_changes_nothing(String scenario, String args, String message) throws Exception {
        // GIVEN LOW paused on 11st/pace for 10 minutes, the state an operator's bad command must not disturb
        assertThat(limiter("pause", "--market", "11st", "--budget", "pace", "--priority", "LOW", "--for", "10m").exitCode()).isZero();
        JsonNode before = statusJson("11st").path("budgets");
        // WHEN the bad command runs
        CliRun run = limiter(args.trim().split("\\s+"));
        // THEN exit 2 (a usage error) with one clear line, and the store holds exactly what it held
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("marketgate: " + message.trim());
        assertThat(stable(statusJson("11st").path("budgets"))).isEqualTo(stable(before));
    }

    @Test
    void an_unreachable_store_is_one_clear_error() {
        // GIVEN a URL where no server listens
        CliRun run = CliRun.of("limiter", "status", "--market", "11st", "--environments", ENVIRONMENTS, "--valkey", "redis://127.0.0.1:1");
        // THEN exit 1 naming the store, no stack trace
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("marketgate: ").contains("127.0.0.1:1").doesNotContain("\tat ");
    }

    /** The status without what moves by itself (the store's clock). */
    private static String stable(JsonNode budgets) {
        List<String> out = new ArrayList<>();
        for (JsonNode b : budgets) {
            out.add(b.path("budget").asText() + " " + b.path("effectiveLimit") + " " + b.path("overrideLimit") + " "
                    + b.path("overrideUntil") + " " + b.path("pausedUntil") + " " + b.path("coolingDownUntil"));
        }
        return String.join("\n", out);
    }

    private static PriorityLimiter fleetLimiter(String market) {
        return PriorityLimiter.builder().budgets(dev.market(market).limiterBudgets())
                .store(ValkeyLimiterStore.standalone(server.uri(), ValkeyStoreOptions.builder().keyPrefix(dev.limiter().keyPrefix()).build()))
                .build();
    }
}
