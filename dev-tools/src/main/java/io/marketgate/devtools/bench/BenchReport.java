package io.marketgate.devtools.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The figures of one scenario: the table, the ratios and the targets, as text and as JSON. Pure arithmetic on
 * {@link Cell}s, so that a test can check it without Redis or timing.
 *
 * @param scenario       the budget every implementation was given
 * @param cells          one per caller count and implementation
 * @param floor          the name of the floor's cells
 * @param self           the name of this limiter's cells
 * @param selfOnRedis    whether this limiter ran on the same Redis server as the others; its targets are only
 *                       judged then (on the in-memory store they would compare nothing)
 * @param variants       other configurations of this limiter (such as without coalescing): shown with their ratios
 *                       to the floor and to every peer like this limiter, but neither peers nor judged
 * @param dynamoDb       this limiter on the DynamoDB store ({@link DynamoDbTarget}): shown with their ratio to the floor
 *                       in the table, and in a section of their own with their ratio to this limiter on Valkey, their
 *                       DynamoDB requests and capacity units per decision, and the budgets the store suits; neither
 *                       peers nor judged
 */
record BenchReport(Scenario scenario, List<Cell> cells, String floor, String self, boolean selfOnRedis, Set<String> variants,
        Set<String> dynamoDb) {

    /** This limiter must reach at least this share of the floor's decisions per second, at every caller count. */
    static final double FLOOR_TARGET = 0.8;

    /** From this many callers on, this limiter must be ahead of every peer. */
    static final int AHEAD_FROM_CALLERS = 16;

    /**
     * One target at one caller count.
     *
     * @param callers   the caller count
     * @param against   the implementation compared with
     * @param ratio     the judged ratio: the median of {@code rounds}, or when the two were not measured in the same
     *                  rounds, this limiter's ops/s over all rounds divided by {@code against}'s
     * @param threshold the least ratio that meets the target
     * @param met       whether the ratio meets it
     * @param rounds    this limiter's ops/s divided by {@code against}'s in each round, in round order (the two
     *                  measured back to back in the same round); empty when not paired
     */
    record TargetCheck(int callers, String against, double ratio, double threshold, boolean met, List<Double> rounds) {
        TargetCheck {
            rounds = List.copyOf(rounds);
        }

        String rule() {
            return threshold == FLOOR_TARGET ? "≥ " + FLOOR_TARGET + "× " + against : "ahead of " + against;
        }
    }

    BenchReport {
        cells = List.copyOf(cells);
        variants = Set.copyOf(variants);
        dynamoDb = Set.copyOf(dynamoDb);
    }

    /** A report without the DynamoDB store. */
    BenchReport(Scenario scenario, List<Cell> cells, String floor, String self, boolean selfOnRedis, Set<String> variants) {
        this(scenario, cells, floor, self, selfOnRedis, variants, Set.of());
    }

    /** A report without variants of this limiter. */
    BenchReport(Scenario scenario, List<Cell> cells, String floor, String self, boolean selfOnRedis) {
        this(scenario, cells, floor, self, selfOnRedis, Set.of());
    }

    List<Integer> callerCounts() {
        return cells.stream().map(Cell::callers).distinct().toList();
    }

    /** Every implementation but the floor, this limiter and its variants, in the order of the cells. */
    List<String> peers() {
        Set<String> names = new LinkedHashSet<>();
        cells.forEach(c -> names.add(c.implementation()));
        names.remove(floor);
        names.remove(self);
        names.removeAll(variants);
        names.removeAll(dynamoDb);
        return List.copyOf(names);
    }

    /** Whether the implementation is this limiter or one of its variants: its row shows its ratios to the peers. */
    private boolean own(String implementation) {
        return implementation.equals(self) || variants.contains(implementation);
    }

    /** The implementation column's width: the longest name, at least 14. */
    private int nameWidth() {
        return Math.max(14, cells.stream().mapToInt(c -> c.implementation().length()).max().orElse(0));
    }

    Optional<Cell> cell(String implementation, int callers) {
        return cells.stream().filter(c -> c.implementation().equals(implementation) && c.callers() == callers).findFirst();
    }

    /** {@code implementation}'s ops/s divided by {@code reference}'s at {@code callers}; NaN if either is missing or zero. */
    double ratio(String implementation, String reference, int callers) {
        Optional<Cell> a = cell(implementation, callers);
        Optional<Cell> b = cell(reference, callers);
        if (a.isEmpty() || b.isEmpty() || b.get().opsPerSecond() == 0) {
            return Double.NaN;
        }
        return a.get().opsPerSecond() / b.get().opsPerSecond();
    }

    /**
     * {@code implementation}'s ops/s divided by {@code reference}'s in each round, in round order; empty when either is
     * missing or the two were not measured in the same number of rounds. Each round measures every implementation once,
     * back to back, so a round's ratio compares two slices of about the same moment of the machine.
     */
    List<Double> roundRatios(String implementation, String reference, int callers) {
        Optional<Cell> a = cell(implementation, callers);
        Optional<Cell> b = cell(reference, callers);
        if (a.isEmpty() || b.isEmpty()) {
            return List.of();
        }
        List<Double> x = a.get().roundOpsPerSecond();
        List<Double> y = b.get().roundOpsPerSecond();
        if (x.size() != y.size() || x.isEmpty()) {
            return List.of();
        }
        List<Double> ratios = new ArrayList<>(x.size());
        for (int i = 0; i < x.size(); i++) {
            ratios.add(y.get(i) == 0 ? Double.NaN : x.get(i) / y.get(i));
        }
        return List.copyOf(ratios);
    }

    /**
     * The ratio a target is judged on: the median of the per-round ratios (a noisy moment of a shared machine moves
     * one round, not the median), or without paired rounds the ratio of all rounds' ops/s.
     */
    double judgedRatio(String implementation, String reference, int callers) {
        List<Double> rounds = roundRatios(implementation, reference, callers);
        return rounds.isEmpty() ? ratio(implementation, reference, callers) : median(rounds);
    }

    /** The median; the mean of the middle two for an even count; NaN if any value is NaN or there are none. */
    static double median(List<Double> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v.isNaN())) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The targets: ≥ 0.8× the floor at every caller count, ahead of every peer from 16 callers on; each judged on the
     * median of the per-round ratios.
     */
    List<TargetCheck> targets() {
        List<TargetCheck> checks = new ArrayList<>();
        if (cell(self, callerCounts().get(0)).isEmpty()) {
            return checks;
        }
        for (int callers : callerCounts()) {
            double toFloor = judgedRatio(self, floor, callers);
            checks.add(new TargetCheck(callers, floor, toFloor, FLOOR_TARGET, toFloor >= FLOOR_TARGET,
                    roundRatios(self, floor, callers)));
            if (callers >= AHEAD_FROM_CALLERS) {
                for (String peer : peers()) {
                    double toPeer = judgedRatio(self, peer, callers);
                    checks.add(new TargetCheck(callers, peer, toPeer, 1.0, toPeer > 1.0, roundRatios(self, peer, callers)));
                }
            }
        }
        return checks;
    }

    /** The scenario's table, a legend, then the targets. */
    String format() {
        List<String> peers = peers();
        StringBuilder out = new StringBuilder();
        String name = "%-" + nameWidth() + "s";
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%7s  " + name + " %10s %9s %9s %7s %8s %8s",
                "callers", "implementation", "ops/s", "p50 µs", "p99 µs", "grants", "cmds/dec", "× floor"));
        for (String peer : peers) {
            header.append(String.format(Locale.ROOT, " %11s", "× " + peer));
        }
        header.append("  redis commands per decision");
        out.append(header).append('\n');
        for (Cell c : cells) {
            out.append(String.format(Locale.ROOT, "%7d  " + name + " %10s %9.1f %9.1f %6.1f%% %8s %8s",
                    c.callers(), c.implementation(), String.format(Locale.ROOT, "%,.0f", c.opsPerSecond()),
                    c.p50Micros(), c.p99Micros(), 100 * c.grantShare(),
                    dynamoDb.contains(c.implementation()) ? "-" : number(redisCommandsPerDecision(c)),
                    c.implementation().equals(floor) ? "" : number(ratio(c.implementation(), floor, c.callers()))));
            for (String peer : peers) {
                out.append(String.format(Locale.ROOT, " %11s",
                        own(c.implementation()) ? number(ratio(c.implementation(), peer, c.callers())) : ""));
            }
            // the DynamoDB store sends no Redis command: what the server counted meanwhile is the bench's own or a straggler's
            out.append("  ").append(dynamoDb.contains(c.implementation()) ? "-" : mix(redisCommands(c))).append('\n');
        }
        out.append("  (× X: ops/s divided by X's at the same callers, over all rounds; cmds/dec: commands the server executed\n"
                + "   per decision, those run inside scripts included, from INFO commandstats)\n");
        out.append(targetsText());
        out.append(dynamoDbText());
        return out.toString();
    }

    /** Redis commands per decision by name, without the DynamoDB store's counters. */
    private static Map<String, Double> redisCommands(Cell c) {
        Map<String, Double> m = new java.util.TreeMap<>(c.commandsPerDecision());
        m.keySet().removeIf(k -> k.startsWith(DynamoDbTarget.COUNTER_PREFIX));
        return m;
    }

    /** All Redis commands per decision; NaN when unknown (the DynamoDB store's rows: none at all). */
    private static double redisCommandsPerDecision(Cell c) {
        Map<String, Double> m = redisCommands(c);
        if (m.isEmpty() || Double.isNaN(c.totalCommandsPerDecision())) {
            return Double.NaN;
        }
        return m.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** One of the DynamoDB store's counters per decision, such as {@code reads}; NaN when not counted. */
    static double perDecision(Cell c, String counter) {
        Double v = c.commandsPerDecision().get(DynamoDbTarget.COUNTER_PREFIX + counter);
        return v == null ? (c.decisions() > 0 && c.commandsPerDecision().keySet().stream()
                .anyMatch(k -> k.startsWith(DynamoDbTarget.COUNTER_PREFIX)) ? 0.0 : Double.NaN) : v;
    }

    /**
     * The most grants per second one item took in this scenario when every caller had a store of its own (as Lambda
     * execution environments have: {@link DynamoDbTarget#NAME_PER_CALLER}), over the caller counts; without such rows,
     * over every DynamoDB row; NaN without any. In the grants scenario nearly every decision is a grant, so this is
     * what one item can decide for a fleet.
     */
    double dynamoDbGrantsPerSecond() {
        List<Cell> rows = cells.stream().filter(c -> dynamoDb.contains(c.implementation())).toList();
        List<Cell> perCaller = rows.stream().filter(c -> c.implementation().equals(DynamoDbTarget.NAME_PER_CALLER)).toList();
        return (perCaller.isEmpty() ? rows : perCaller).stream()
                .mapToDouble(c -> c.opsPerSecond() * c.grantShare()).max().orElse(Double.NaN);
    }

    /** The DynamoDB store's section: its figures beside this limiter on Valkey, and the budgets it suits. */
    private String dynamoDbText() {
        List<Cell> rows = cells.stream().filter(c -> dynamoDb.contains(c.implementation())).toList();
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("DynamoDB store, against dynalite on this machine (a DynamoDB-compatible server"
                + " in Node.js, not DynamoDB); one budget = one item, which every decision contends for:\n");
        String name = "%-" + nameWidth() + "s";
        out.append(String.format(Locale.ROOT, "%7s  " + name + " %10s %9s %9s %7s %9s %8s %8s %8s %8s %8s%n",
                "callers", "implementation", "ops/s", "p50 µs", "p99 µs", "grants", "× " + "valkey", "reads", "writes",
                "lost", "RCU", "WCU"));
        for (Cell c : rows) {
            out.append(String.format(Locale.ROOT, "%7d  " + name + " %10s %9.1f %9.1f %6.1f%% %9s %8s %8s %8s %8s %8s%n",
                    c.callers(), c.implementation(), String.format(Locale.ROOT, "%,.0f", c.opsPerSecond()), c.p50Micros(),
                    c.p99Micros(), 100 * c.grantShare(), number(ratio(c.implementation(), self, c.callers())),
                    number(perDecision(c, "reads")), number(perDecision(c, "writes")), number(perDecision(c, "lost races")),
                    number(perDecision(c, "RCU")), number(perDecision(c, "WCU"))));
        }
        out.append("  (× valkey: ops/s divided by " + self + "'s on the Redis server above, same callers; reads, writes, lost\n"
                + "   (writes that lost their race and were decided again), RCU and WCU (the capacity units DynamoDB would bill)\n"
                + "   per decision)\n");
        if (scenario.equals(Scenario.GRANTS)) {
            double best = dynamoDbGrantsPerSecond();
            out.append(String.format(Locale.ROOT, "  suits: here one item took at most %,.0f grants/s from callers with a store each (as "
                    + "Lambdas); with half of that as headroom, budgets of up to %,.0f calls/s per item%n", best, Math.floor(best / 2)));
            out.append("  (an item: a market's shared budgets together, or one seller's, mall's or vendor's instances). DynamoDB\n"
                    + "  answers in single-digit milliseconds per request instead of dynalite's loopback round trip: at 2-10 ms\n"
                    + "  per request a grant (a read and a write) takes 4-20 ms, so one item decides some 50-250 grants/s at best,\n"
                    + "  and budgets of up to about 25-100 calls/s per item suit it; each grant is billed at one WCU per KB of its\n"
                    + "  item (WCU above), each decision at one RCU per 4 KB.\n");
        }
        return out.toString();
    }

    private String targetsText() {
        List<TargetCheck> checks = targets();
        if (checks.isEmpty()) {
            return "targets: not judged (" + self + " was not run)\n";
        }
        if (!selfOnRedis) {
            return "targets: not judged (" + self + " ran on the in-memory store, not on this Redis server)\n";
        }
        StringBuilder out = new StringBuilder("targets (" + self + "; the median of the ratios of the rounds, each round measuring"
                + " every implementation back to back):\n");
        for (TargetCheck t : checks) {
            out.append(String.format(Locale.ROOT, "  %-20s at %3d callers: %5s  %-6s  %s%n",
                    t.rule(), t.callers(), number(t.ratio()), t.met() ? "met" : "MISSED", spread(t.rounds())));
        }
        long missed = checks.stream().filter(t -> !t.met()).count();
        out.append(missed == 0 ? "  all targets met\n" : "  " + missed + " of " + checks.size() + " targets missed\n");
        return out.toString();
    }

    /** "(9 rounds: 0.70–0.91)", "(one round)", or that the ratio is not paired by round. */
    private static String spread(List<Double> rounds) {
        if (rounds.isEmpty()) {
            return "(all rounds' ops/s: not paired by round)";
        }
        if (rounds.size() == 1) {
            return "(one round)";
        }
        double min = rounds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = rounds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return "(" + rounds.size() + " rounds: " + number(min) + "–" + number(max) + ")";
    }

    /** The scenario as a JSON object. */
    String json() {
        StringBuilder out = new StringBuilder();
        out.append("{\"scenario\":").append(Json.string(scenario.name()))
                .append(",\"limit\":").append(scenario.limit())
                .append(",\"windowMillis\":").append(scenario.window().toMillis())
                .append(",\"results\":[");
        List<String> rows = new ArrayList<>();
        for (Cell c : cells) {
            StringBuilder row = new StringBuilder();
            row.append("{\"implementation\":").append(Json.string(c.implementation()))
                    .append(",\"callers\":").append(c.callers())
                    .append(",\"decisions\":").append(c.decisions())
                    .append(",\"measuredMillis\":").append(c.measuredNanos() / 1_000_000L)
                    .append(",\"opsPerSecond\":").append(Json.number(c.opsPerSecond()))
                    .append(",\"p50Micros\":").append(Json.number(tenths(c.p50Micros())))
                    .append(",\"p99Micros\":").append(Json.number(tenths(c.p99Micros())))
                    .append(",\"grantShare\":").append(Json.number(c.grantShare()))
                    .append(",\"ratioToFloor\":").append(Json.number(ratio(c.implementation(), floor, c.callers())))
                    .append(",\"redisCommandsPerDecision\":").append(Json.numbers(redisCommands(c)));
            if (dynamoDb.contains(c.implementation())) {
                row.append(",\"ratioToSelf\":").append(Json.number(ratio(c.implementation(), self, c.callers())));
                row.append(",\"dynamoDbPerDecision\":").append(Json.numbers(java.util.stream.Stream.of("reads", "writes", "lost races", "RCU", "WCU")
                        .collect(Collectors.toMap(k -> k, k -> perDecision(c, k), (a, b) -> a, java.util.LinkedHashMap::new))));
            }
            if (own(c.implementation())) {
                row.append(",\"ratioToPeers\":").append(Json.numbers(peers().stream().collect(Collectors.toMap(
                        p -> p, p -> ratio(c.implementation(), p, c.callers()), (a, b) -> a, java.util.LinkedHashMap::new))));
            }
            rows.add(row.append('}').toString());
        }
        out.append(String.join(",", rows)).append("],\"targetsJudged\":").append(selfOnRedis && !targets().isEmpty())
                .append(",\"targets\":[");
        out.append(targets().stream().map(t -> "{\"rule\":" + Json.string(t.rule()) + ",\"callers\":" + t.callers()
                + ",\"against\":" + Json.string(t.against()) + ",\"ratio\":" + Json.number(t.ratio())
                + ",\"threshold\":" + Json.number(t.threshold()) + ",\"met\":" + t.met()
                + ",\"roundRatios\":[" + t.rounds().stream().map(Json::number).collect(Collectors.joining(",")) + "]}")
                .collect(Collectors.joining(",")));
        return out.append("]}").toString();
    }

    /** Latencies to 0.1 µs: the histogram keeps 3 significant digits, more would be noise. */
    private static double tenths(double micros) {
        return Math.round(micros * 10) / 10.0;
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String mix(Map<String, Double> perDecision) {
        if (perDecision.isEmpty()) {
            return "-";
        }
        return perDecision.entrySet().stream()
                .filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + number(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
