package io.marketgate.handlers.sqs;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SQS queues of each market: its collection queue (standard) and its action queue (FIFO). A record of an SQS
 * event names its queue by ARN; {@link #urlOfQueueName} finds the URL by the ARN's last segment.
 *
 * <pre>{@code
 * QueueDirectory queues = QueueDirectory.builder()
 *         .market("coupang", collectUrl, actionsUrl)
 *         .build();
 * }</pre>
 */
public final class QueueDirectory {

    /** The queues of one market; {@code actions} may be absent for a market that only collects. */
    public record MarketQueues(String collect, Optional<String> actions) {
        public MarketQueues {
            if (collect == null || collect.isBlank()) {
                throw new IllegalArgumentException("collect queue URL is missing");
            }
            actions = actions == null ? Optional.empty() : actions;
        }
    }

    private final Map<String, MarketQueues> byMarket;

    private QueueDirectory(Map<String, MarketQueues> byMarket) {
        this.byMarket = Map.copyOf(byMarket);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The queues of {@code market}; throws {@link IllegalArgumentException} naming the known markets. */
    public MarketQueues market(String market) {
        MarketQueues q = byMarket.get(market);
        if (q == null) {
            throw new IllegalArgumentException("no queues for market '" + market + "'; known: " + new TreeMap<>(byMarket).keySet());
        }
        return q;
    }

    /** The markets that have queues here, in name order. */
    public java.util.SortedSet<String> markets() {
        return new java.util.TreeSet<>(byMarket.keySet());
    }

    /** The URL of the queue named {@code queueName} (the last segment of its URL and ARN), if it is listed. */
    public Optional<String> urlOfQueueName(String queueName) {
        for (MarketQueues q : byMarket.values()) {
            if (queueName.equals(queueName(q.collect()))) {
                return Optional.of(q.collect());
            }
            if (q.actions().isPresent() && queueName.equals(queueName(q.actions().get()))) {
                return q.actions();
            }
        }
        return Optional.empty();
    }

    /** The queue name of an SQS ARN ({@code arn:aws:sqs:region:account:name}) or queue URL. */
    public static String queueName(String arnOrUrl) {
        if (arnOrUrl == null || arnOrUrl.isBlank()) {
            throw new IllegalArgumentException("queue ARN or URL is missing");
        }
        String s = arnOrUrl.startsWith("arn:") ? arnOrUrl : URI.create(arnOrUrl).getPath();
        int cut = Math.max(s.lastIndexOf(':'), s.lastIndexOf('/'));
        return s.substring(cut + 1);
    }

    @Override
    public String toString() {
        return "QueueDirectory" + new TreeMap<>(byMarket);
    }

    public static final class Builder {
        private final Map<String, MarketQueues> byMarket = new TreeMap<>();

        private Builder() {}

        /** The queues of {@code market}; {@code actionsUrl} may be null. */
        public Builder market(String market, String collectUrl, String actionsUrl) {
            if (market == null || market.isBlank()) {
                throw new IllegalArgumentException("market is missing");
            }
            byMarket.put(market, new MarketQueues(collectUrl, Optional.ofNullable(actionsUrl)));
            return this;
        }

        public QueueDirectory build() {
            return new QueueDirectory(byMarket);
        }
    }
}
