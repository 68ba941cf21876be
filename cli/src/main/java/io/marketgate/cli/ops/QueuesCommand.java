package io.marketgate.cli.ops;

import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.ProgressBar;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.MarketConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code marketgate queues status|redrive}: the markets' queues and dead-letter queues, and moving dead letters
 * back. Queues are found by name, {@code <env>-<market>-collect} and {@code <env>-<market>-actions.fifo}, each
 * with its DLQ.
 *
 * <pre>
 * ./marketgate queues status --market coupang --local
 * ./marketgate queues redrive --market coupang --dry-run --local
 * ./marketgate queues redrive --market coupang --queue collect --max 500 --env prod
 * </pre>
 */
@Command(name = "queues",
        mixinStandardHelpOptions = true,
        description = "The markets' queues: depth, in flight, oldest message age and DLQ depth; move dead letters back.",
        subcommands = {QueuesCommand.Status.class, QueuesCommand.RedriveCommand.class})
public final class QueuesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Per market and queue: messages waiting, in flight and delayed, the oldest message's age",
                "(CloudWatch's ApproximateAgeOfOldestMessage; not available locally) and the DLQ's depth."})
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OperatorOptions options;

        @Option(names = {"-m", "--market"}, description = "Only this market (default: every market of the environment).")
        String market;

        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            List<MarketConfig> markets = market != null ? List.of(Inputs.market(env, market)) : List.copyOf(env.markets().values());
            List<Map<String, Object>> rows = new ArrayList<>();
            Optional<String> cloudWatchProblem;
            try (OperatorAws aws = OperatorAws.open(env, options.localEndpoints())) {
                for (MarketConfig m : markets) {
                    for (QueueKind kind : QueueKind.values()) {
                        rows.add(row(aws, env.name(), m.name(), kind));
                    }
                }
                cloudWatchProblem = aws.cloudWatchProblem();
            }
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("environment", env.name());
                doc.put("queues", rows);
                cloudWatchProblem.ifPresent(p -> doc.put("oldestAgeProblem", p));
                OperatorOptions.printJson(out, doc);
                return 0;
            }
            out.printf("%-10s %-36s %8s %9s %8s %11s %10s%n", "market", "queue", "waiting", "in-flight", "delayed", "oldest-age", "dlq-depth");
            for (Map<String, Object> r : rows) {
                if (!(Boolean) r.get("exists")) {
                    out.printf("%-10s %-36s %s%n", r.get("market"), r.get("queue"), "not found");
                    continue;
                }
                Object age = r.get("oldestAgeSeconds");
                out.printf("%-10s %-36s %8d %9d %8d %11s %10s%n", r.get("market"), r.get("queue"), r.get("waiting"),
                        r.get("inFlight"), r.get("delayed"), age == null ? "n/a" : age + " s",
                        r.get("dlqDepth") == null ? "not found" : r.get("dlqDepth"));
            }
            if (rows.stream().anyMatch(r -> Boolean.TRUE.equals(r.get("exists")) && r.get("oldestAgeSeconds") == null)) {
                out.println(options.localEndpoints().isPresent()
                        ? "(oldest-age comes from CloudWatch, which the local platform has not)"
                        : cloudWatchProblem.map(p -> "(oldest-age: CloudWatch could not be read: " + p + "; see the alarm"
                                        + (markets.size() > 1 ? "s " : " ")
                                        + String.join(", ", markets.stream().map(m -> env.name() + "-" + m.name() + "-queue-age").toList())
                                        + " on the dashboard " + env.name() + "-marketgate)")
                                .orElse("(oldest-age n/a: CloudWatch has no ApproximateAgeOfOldestMessage datapoint for the queue in the last "
                                        + OperatorAws.AGE_LOOKBACK.toMinutes() + " minutes)"));
            }
            out.flush();
            return 0;
        }

        private static Map<String, Object> row(OperatorAws aws, String environment, String market, QueueKind kind) {
            Map<String, Object> r = new LinkedHashMap<>();
            String name = kind.queueName(environment, market);
            r.put("market", market);
            r.put("queue", name);
            Optional<String> url = aws.queueUrl(name);
            r.put("exists", url.isPresent());
            if (url.isEmpty()) {
                return r;
            }
            OperatorAws.Counts c = aws.counts(url.get());
            r.put("waiting", c.visible());
            r.put("inFlight", c.inFlight());
            r.put("delayed", c.delayed());
            OptionalLong age = aws.oldestAgeSeconds(name);
            r.put("oldestAgeSeconds", age.isPresent() ? age.getAsLong() : null);
            String dlq = kind.dlqName(environment, market);
            r.put("dlq", dlq);
            r.put("dlqDepth", aws.queueUrl(dlq).map(u -> aws.counts(u).total()).orElse(null));
            return r;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = {"Moves a market's dead letters back to their queues (FIFO messages keep their group), with a",
                "count at the end. --dry-run counts and shows the first messages without moving anything."},
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"0:every message planned was moved (or a dry run)", "1:a missing queue, AWS errors", ExitCodes.USAGE_LINE,
                "3:some messages could not be sent back; they stay in the DLQ"})
    static final class RedriveCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OperatorOptions options;

        @Option(names = {"-m", "--market"}, required = true, description = "The market.")
        String market;

        @Option(names = {"-q", "--queue"}, defaultValue = "all", description = "collect, actions or all (default: ${DEFAULT-VALUE}).")
        String queue;

        @Option(names = "--max", paramLabel = "N", description = "Move at most N messages in all (default: every message the DLQs hold now).")
        Integer max;

        @Option(names = "--dry-run", description = "Count and show what would move; move nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            MarketConfig m = Inputs.market(env, market);
            List<QueueKind> kinds = QueueKind.parse(queue);
            int limit = Inputs.max(max);
            PrintWriter out = spec.commandLine().getOut();
            List<Map<String, Object>> results = new ArrayList<>();
            int failed = 0;
            try (OperatorAws aws = OperatorAws.open(env, options.localEndpoints())) {
                List<Redrive.Plan> plans = new ArrayList<>();
                for (QueueKind kind : kinds) {
                    plans.add(Redrive.plan(aws, env.name(), m.name(), kind));   // every queue found before anything moves
                }
                int left = limit;
                for (Redrive.Plan plan : plans) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("from", plan.dlqName());
                    r.put("to", plan.queueName());
                    r.put("inDlq", plan.inDlq());
                    if (dryRun) {
                        long wouldMove = Math.min(left, plan.inDlq());
                        left -= (int) wouldMove;
                        r.put("wouldMove", wouldMove);
                        r.put("firstMessages", Redrive.peek(aws.sqs(), plan, 5));
                    } else {
                        if (!options.json() && plan.inDlq() > 0) {
                            out.printf("moving %s -> %s: %d messages in the DLQ%n", plan.dlqName(), plan.queueName(), plan.inDlq());
                            out.flush();
                        }
                        ProgressBar bar = ProgressBar.onStderr(spec.commandLine().getErr(), "messages");
                        Redrive.Result result = Redrive.move(aws, plan, left, bar);
                        if (plan.inDlq() > 0) {
                            bar.finish();
                        }
                        left -= result.moved() + result.failed();
                        failed += result.failed();
                        r.put("moved", result.moved());
                        r.put("failed", result.failed());
                        r.put("leftInDlq", result.leftInDlq());
                    }
                    results.add(r);
                }
            }
            if (options.json()) {
                OperatorOptions.printJson(out, Map.of("environment", env.name(), "market", m.name(), "dryRun", dryRun, "queues", results));
            } else {
                printText(out, results);
            }
            return failed == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
        }

        private void printText(PrintWriter out, List<Map<String, Object>> results) {
            for (Map<String, Object> r : results) {
                if (dryRun) {
                    out.printf("dry run: would move %s of %s messages from %s to %s; nothing was moved%n", r.get("wouldMove"),
                            r.get("inDlq"), r.get("from"), r.get("to"));
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> first = (List<Map<String, Object>>) r.get("firstMessages");
                    for (Map<String, Object> msg : first) {
                        out.printf("  %s sent %s, received %s times%s: %s%n", msg.get("messageId"), msg.get("sent"), msg.get("receiveCount"),
                                msg.containsKey("messageGroupId") ? ", group " + msg.get("messageGroupId") : "", msg.get("body"));
                    }
                } else {
                    out.printf("moved %s messages from %s to %s (%s failed); %s left in the DLQ%n", r.get("moved"), r.get("from"),
                            r.get("to"), r.get("failed"), r.get("leftInDlq"));
                }
            }
            out.flush();
        }
    }
}
