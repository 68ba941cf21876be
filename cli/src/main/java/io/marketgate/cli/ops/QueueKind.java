package io.marketgate.cli.ops;

import io.marketgate.cli.UsageException;
import java.util.Locale;

/** A market's two queues, each with its dead-letter queue, named as the stacks and the local runtime name them. */
enum QueueKind {
    /** Collection requests: a standard queue {@code <env>-<market>-collect} and {@code …-collect-dlq}. */
    COLLECT("collect", "-collect", "-collect-dlq"),
    /** Ordered actions: a FIFO queue {@code <env>-<market>-actions.fifo} and {@code …-actions-dlq.fifo}. */
    ACTIONS("actions", "-actions.fifo", "-actions-dlq.fifo");

    private final String option;
    private final String suffix;
    private final String dlqSuffix;

    QueueKind(String option, String suffix, String dlqSuffix) {
        this.option = option;
        this.suffix = suffix;
        this.dlqSuffix = dlqSuffix;
    }

    String queueName(String environment, String market) {
        return environment + "-" + market + suffix;
    }

    String dlqName(String environment, String market) {
        return environment + "-" + market + dlqSuffix;
    }

    boolean fifo() {
        return this == ACTIONS;
    }

    String option() {
        return option;
    }

    /** {@code collect}, {@code actions} or {@code all} (null: all). */
    static java.util.List<QueueKind> parse(String text) {
        if (text == null || text.equalsIgnoreCase("all")) {
            return java.util.List.of(values());
        }
        for (QueueKind k : values()) {
            if (k.option.equals(text.toLowerCase(Locale.ROOT))) {
                return java.util.List.of(k);
            }
        }
        throw new UsageException("--queue is '" + text + "', must be collect, actions or all");
    }
}
