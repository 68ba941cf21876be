package io.marketgate.market;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetName;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterControl;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.market.CallOutcome.MarketAnswer;
import io.marketgate.market.MarketData.OrderPage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes market calls, each drawn from the fleet's budgets first: acquire from the limiter at the request's
 * priority (waiting at most the caller's maximum), send, classify with the adapter, and on a throttle report it to
 * the limiter so that every instance cools down.
 *
 * <pre>{@code
 * MarketClient client = MarketClient.builder(limiter, MarketAdapters.forMarket(env, "coupang", System::getenv))
 *         .listener((call, priority, outcome, elapsed) -> metrics.count(call.market(), outcome.kind()))
 *         .build();
 * CallOutcome outcome = client.execute(adapter.plan(shipOrder), Priority.HIGH, Duration.ofSeconds(5));
 * CollectionResult result = client.collect(request, Priority.MEDIUM, Duration.ofSeconds(2), (call, page) -> store(page));
 * }</pre>
 *
 * <p>Bad input (a call of another market, a budget the limiter does not know, a bad priority or wait) throws
 * {@link IllegalArgumentException} naming the field before anything is drawn or sent. Instances are thread-safe
 * when the adapter and the HTTP client are.
 */
public final class MarketClient {

    private static final Logger log = LoggerFactory.getLogger(MarketClient.class);

    /** The connect timeout of the default HTTP client. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final PriorityLimiter limiter;
    private final MarketAdapter adapter;
    private final HttpSender sender;
    private final MarketCallListener listener;
    private final boolean followMarketLevel;
    private final Set<String> knownBudgets;

    private MarketClient(PriorityLimiter limiter, MarketAdapter adapter, HttpSender sender, MarketCallListener listener,
            boolean followMarketLevel) {
        this.limiter = limiter;
        this.adapter = adapter;
        this.sender = sender;
        this.listener = listener;
        this.followMarketLevel = followMarketLevel;
        this.knownBudgets = new TreeSet<>(limiter.budgets().stream().map(Budget::name).toList());
    }

    /** A client of {@code adapter}'s market drawing from {@code limiter}. */
    public static Builder builder(PriorityLimiter limiter, MarketAdapter adapter) {
        return new Builder(limiter, adapter);
    }

    /** The adapter, for planning. */
    public MarketAdapter adapter() {
        return adapter;
    }

    /**
     * Draws {@code call} from the limiter at {@code priority}, waiting at most {@code maxWait}; if the limiter
     * would admit it only later, returns {@link CallOutcome.Deferred} without calling the market. Otherwise sends
     * it, classifies the answer, reports a throttle to the limiter for the budgets the adapter names, and returns
     * the classification.
     *
     * @throws IllegalArgumentException for bad input, before anything is drawn or sent
     * @throws InterruptedException while waiting for the limiter (nothing drawn) or for the market (the call was
     *     drawn and may have reached the market)
     */
    public CallOutcome execute(PlannedCall call, Priority priority, Duration maxWait) throws InterruptedException {
        Call limiterCall = validate(call, priority, maxWait);
        long start = System.nanoTime();
        CallOutcome outcome = drawAndSend(call, limiterCall, priority, maxWait, true);
        if (outcome instanceof CallOutcome.Fatal fatal && fatal.cause() == CallOutcome.Cause.TOKEN_REJECTED) {
            // the market refused a token it issued (revoked, or expired early): forget it, fetch one, repeat once;
            // the repeat is a market call of its own and is drawn from the limiter again
            log.info("market refused the access token of {}; fetching a new one and repeating the call once", call);
            adapter.tokenRejected(call);
            outcome = drawAndSend(call, limiterCall, priority, maxWait, true);
            if (outcome instanceof CallOutcome.Fatal again && again.cause() == CallOutcome.Cause.TOKEN_REJECTED) {
                outcome = new CallOutcome.Fatal("the market refused a freshly fetched access token: " + again.reason(),
                        adapter.freshTokenRefused());
            }
        }
        notify(call, priority, outcome, Duration.ofNanos(System.nanoTime() - start));
        return outcome;
    }

    /** Acquires, authorizes (when {@code authorize}), sends and classifies one call; reports a throttle. */
    private CallOutcome drawAndSend(PlannedCall call, Call limiterCall, Priority priority, Duration maxWait, boolean authorize)
            throws InterruptedException {
        Decision decision = limiter.acquire(limiterCall, maxWait);
        if (!decision.granted()) {
            return new CallOutcome.Deferred(decision.retryAfter(), decision.blockingBudget(), decision.reason());
        }
        // the delay that matters to the jitter guard runs from the grant to the market: taking the request's time to be
        // built and signed into the round trip counts an instance's own scheduling delays too (a busy instance bunches
        // its calls as surely as the network does); a token fetched meanwhile is no part of it
        long granted = System.nanoTime();
        boolean[] fetchedToken = {false};
        HttpRequest.Builder request = sender.prepare(call);
        if (authorize) {
            Optional<CallOutcome> refused = adapter.authorize(call, request, tokenCall -> {
                fetchedToken[0] = true;
                return executeToken(tokenCall, priority, maxWait);
            });
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        MarketAnswer answer = send(call, request.build(), decision, fetchedToken[0] ? -1 : granted);
        if (answer instanceof CallOutcome.Throttled throttled) {
            reportThrottled(throttled);
        }
        return answer;
    }

    /** A token call made while authorizing another: drawn, sent as planned, classified, observed. */
    private CallOutcome executeToken(PlannedCall tokenCall, Priority priority, Duration maxWait) throws InterruptedException {
        if (!(tokenCall.purpose() instanceof PlannedCall.Authenticate)) {
            throw new IllegalArgumentException("call " + tokenCall + " is not a token call");
        }
        Call limiterCall = validate(tokenCall, priority, maxWait);
        long start = System.nanoTime();
        CallOutcome outcome = drawAndSend(tokenCall, limiterCall, priority, maxWait, false);
        notify(tokenCall, priority, outcome, Duration.ofNanos(System.nanoTime() - start));
        return outcome;
    }

    /**
     * Executes {@code action} at HIGH priority, the priority of actions that must succeed: its lookup first when the
     * adapter needs one ({@link MarketAdapter#planLookup}), then its call.
     */
    public CallOutcome execute(MarketAction action, Duration maxWait) throws InterruptedException {
        Optional<PlannedCall> lookup = adapter.planLookup(action);
        if (lookup.isEmpty()) {
            return execute(adapter.plan(action), Priority.HIGH, maxWait);
        }
        CallOutcome read = execute(lookup.get(), Priority.HIGH, maxWait);
        if (!(read instanceof CallOutcome.Ok(MarketData.Page page))) {
            return read; // the action was not sent; its lookup's outcome stands for it
        }
        return execute(adapter.plan(action, page), Priority.HIGH, maxWait);
    }

    /**
     * Collects a whole request of orders: every page of every window, in order, handing each page to {@code sink} (with
     * the call that fetched it, whose {@link PlannedCall.Collect} is the position to checkpoint). Stops at the first
     * outcome that is not {@link CallOutcome.Ok} and returns it with the call to resume from. Other kinds:
     * {@link #collectPages}.
     */
    public CollectionResult collect(CollectionRequest request, Priority priority, Duration maxWait,
            BiConsumer<PlannedCall, OrderPage> sink) throws InterruptedException {
        requireOrders(request);
        return collectPages(request, priority, maxWait, orderSink(sink));
    }

    /** Like {@link #collect}, for a request of any kind: each page is an {@link OrderPage} or a {@link MarketData.RecordPage}. */
    public CollectionResult collectPages(CollectionRequest request, Priority priority, Duration maxWait,
            BiConsumer<PlannedCall, MarketData.Page> sink) throws InterruptedException {
        if (request == null) {
            throw new IllegalArgumentException("request is missing");
        }
        checkMarket("request.market", request.market());
        PlannedCall first = adapter.planPage(request, adapter.windows(request).get(0), Optional.empty());
        return collectPagesFrom(first, priority, maxWait, sink);
    }

    /** Like {@link #collect}, from {@code first} on (a resumed collection: {@link MarketAdapter#planPage} of the checkpoint). */
    public CollectionResult collectFrom(PlannedCall first, Priority priority, Duration maxWait,
            BiConsumer<PlannedCall, OrderPage> sink) throws InterruptedException {
        if (first != null && first.purpose() instanceof PlannedCall.Collect c) {
            requireOrders(c.request());
        }
        return collectPagesFrom(first, priority, maxWait, orderSink(sink));
    }

    /** Like {@link #collectPages}, from {@code first} on (a resumed collection). */
    public CollectionResult collectPagesFrom(PlannedCall first, Priority priority, Duration maxWait,
            BiConsumer<PlannedCall, MarketData.Page> sink) throws InterruptedException {
        Objects.requireNonNull(sink, "sink");
        int pages = 0;
        int records = 0;
        Optional<PlannedCall> next = Optional.of(first);
        while (next.isPresent()) {
            PlannedCall call = next.get();
            CallOutcome outcome = execute(call, priority, maxWait);
            if (!(outcome instanceof CallOutcome.Ok(MarketData.Page listed))) {
                return new CollectionResult.Stopped(outcome, call, pages, records);
            }
            MarketData.Page page = listed;
            if (listed instanceof OrderPage listedOrders) {
                Optional<PlannedCall> detail = adapter.detail(call, listedOrders);
                if (detail.isPresent()) {
                    CallOutcome details = execute(detail.get(), priority, maxWait);
                    if (!(details instanceof CallOutcome.Ok(OrderPage detailed))) {
                        // resume at the list call: its page is asked for again, then its details
                        return new CollectionResult.Stopped(details, call, pages, records);
                    }
                    page = new OrderPage(detailed.orders(), listed.nextCursor());
                }
            }
            sink.accept(call, page);
            pages++;
            records += page.size();
            next = adapter.next(call, page);
        }
        return new CollectionResult.Completed(pages, records);
    }

    private static void requireOrders(CollectionRequest request) {
        if (request != null && request.kind() != DataKind.ORDERS) {
            throw new IllegalArgumentException("request.kind is " + request.kind().configName()
                    + ": collect() hands pages of orders; collect other kinds with collectPages()");
        }
    }

    private static BiConsumer<PlannedCall, MarketData.Page> orderSink(BiConsumer<PlannedCall, OrderPage> sink) {
        Objects.requireNonNull(sink, "sink");
        return (call, page) -> {
            if (!(page instanceof OrderPage orders)) {
                throw new IllegalStateException("call " + call + " answered a page of " + page.getClass().getSimpleName()
                        + ", not of orders");
            }
            sink.accept(call, orders);
        };
    }

    /** How a {@link #collect} ended. */
    public sealed interface CollectionResult {
        /** Every page of every window was handed to the sink. */
        record Completed(int pages, int orders) implements CollectionResult {}

        /** {@code outcome} stopped the collection at {@code resumeAt}, after {@code pages} pages and {@code orders} records. */
        record Stopped(CallOutcome outcome, PlannedCall resumeAt, int pages, int orders) implements CollectionResult {}
    }

    private Call validate(PlannedCall call, Priority priority, Duration maxWait) {
        if (call == null) {
            throw new IllegalArgumentException("call is missing");
        }
        if (priority == null) {
            throw new IllegalArgumentException("priority is missing");
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait is " + maxWait + ", must be zero or positive");
        }
        checkMarket("call.market", call.market());
        for (String budget : call.budgets()) {
            String template;
            try {
                template = BudgetName.parse(budget).configured().toString();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("call.budgets: " + e.getMessage() + ", in " + call, e);
            }
            if (!knownBudgets.contains(template)) {
                throw new IllegalArgumentException("call.budgets: unknown budget '" + budget + "' in " + call
                        + "; the limiter's budgets: " + String.join(", ", knownBudgets));
            }
        }
        return call.toCall(priority);
    }

    private void checkMarket(String field, String market) {
        if (!adapter.market().equals(market)) {
            throw new IllegalArgumentException(field + ": unknown market '" + market + "' for this client, which calls "
                    + adapter.market());
        }
    }

    /** Sends, classifies and observes the round trip from {@code granted} ({@code System.nanoTime()}; -1: from sending). */
    private MarketAnswer send(PlannedCall call, HttpRequest request, Decision grant, long granted) throws InterruptedException {
        HttpResponse<String> response;
        long sent = granted >= 0 ? granted : System.nanoTime();
        try {
            response = sender.send(request);
        } catch (IOException e) {
            return adapter.classifyFailure(call, e);
        }
        // the round trip sizes the jitter guard of the market's budgets that follow it (docs/limiter.md)
        limiter.observeRoundTrip(call.market(), Duration.ofNanos(System.nanoTime() - sent));
        reportBucketLevel(call, response, grant);
        return stamped(adapter.classify(call, response), response);
    }

    /**
     * The orders of an answer stated at the answer's time: the market's {@code Date} header (RFC 9110 asks every origin
     * server with a clock to send one), for the orders whose adapter found no time of the market's own in the body.
     * The store orders two answers about one order by it, so an older answer never replaces a newer state.
     */
    private static MarketAnswer stamped(MarketAnswer answer, HttpResponse<String> response) {
        if (!(answer instanceof CallOutcome.Ok(MarketData.Page page)) || page.size() == 0) {
            return answer;
        }
        java.time.Instant at = response.headers().firstValue("Date").flatMap(MarketClient::httpDate).orElse(null);
        if (at == null) {
            return answer;
        }
        return new CallOutcome.Ok(switch (page) {
            case OrderPage orders -> new OrderPage(orders.orders().stream().map(o -> o.stampedAt(at)).toList(), page.nextCursor());
            case MarketData.RecordPage records -> new MarketData.RecordPage(records.kind(),
                    records.records().stream().map(r -> r.stampedAt(at)).toList(), page.nextCursor());
        });
    }

    private static Optional<java.time.Instant> httpDate(String value) {
        try {
            return Optional.of(java.time.ZonedDateTime.parse(value, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Hands the market's own bucket level, when its answer gives one, to the limiter for each of the level's budgets
     * ({@link PriorityLimiter#observeMarketLevel}, with the call's grant, so that the calls granted after it, which the
     * market had not counted, keep their room), unless {@link Builder#followMarketLevel} turned that off; then to the
     * listener. Neither can fail the call.
     */
    private void reportBucketLevel(PlannedCall call, HttpResponse<String> response, Decision grant) {
        Optional<BucketLevel> level;
        try {
            level = adapter.bucketLevel(call, response);
        } catch (RuntimeException e) {
            log.warn("reading the market's bucket level of {} failed: {}", call, e.toString());
            return;
        }
        level.ifPresent(l -> {
            if (followMarketLevel) {
                for (String budget : l.budgets()) {
                    try {
                        limiter.observeMarketLevel(budget, l.used(), l.capacity(), grant);
                    } catch (RuntimeException e) {
                        log.warn("the limiter did not take the market's level {}/{} of {}: {}", l.used(), l.capacity(),
                                budget, e.toString());
                    }
                }
            }
            try {
                listener.onBucketLevel(call, l);
            } catch (RuntimeException e) {
                log.warn("market call listener failed on the bucket level: {}", e.toString());
            }
        });
    }

    private void reportThrottled(CallOutcome.Throttled throttled) {
        // the limiter refuses cool-downs beyond its control TTL; a market asking for longer still gets the maximum
        Duration retryAfter = throttled.retryAfter()
                .map(d -> d.compareTo(LimiterControl.MAX_TTL) > 0 ? LimiterControl.MAX_TTL : d)
                .orElse(null);
        for (String budget : throttled.budgets()) {
            limiter.reportThrottled(budget, retryAfter);
        }
        log.info("market throttled {}: {}; cooling down for {}", throttled.budgets(), throttled.reason(),
                retryAfter == null ? "the budgets' default" : retryAfter);
    }

    private void notify(PlannedCall call, Priority priority, CallOutcome outcome, Duration elapsed) {
        try {
            listener.onOutcome(call, priority, outcome, elapsed);
        } catch (RuntimeException e) {
            log.warn("market call listener failed: {}", e.toString());
        }
    }

    /** Settings of a client; each setter documents its default. */
    public static final class Builder {
        private final PriorityLimiter limiter;
        private final MarketAdapter adapter;
        private HttpClient http;
        private Duration requestTimeout;
        private MarketCallListener listener = MarketCallListener.NONE;
        private boolean followMarketLevel = true;

        private Builder(PriorityLimiter limiter, MarketAdapter adapter) {
            this.limiter = Objects.requireNonNull(limiter, "limiter");
            this.adapter = Objects.requireNonNull(adapter, "adapter");
            this.requestTimeout = adapter.requestTimeout();
        }

        /**
         * The HTTP client; default one with a {@link #DEFAULT_CONNECT_TIMEOUT} connect timeout, HTTP/1.1 and no
         * redirects (a redirect from a market API is an error to see, not to follow with the credentials).
         */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "httpClient");
            return this;
        }

        /** How long one request may take before it counts as failed (retryable); default the adapter's. */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout is " + timeout + ", must be positive");
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** Observes every call's outcome; default none. */
        public Builder listener(MarketCallListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Whether the market's own bucket level on its answers ({@link BucketLevel}, for the budgets configured with
         * {@code followsMarketLevel: true}) lowers the limiter's budgets to the market's room; default true. Off, the
         * level only reaches the listener.
         */
        public Builder followMarketLevel(boolean follow) {
            this.followMarketLevel = follow;
            return this;
        }

        public MarketClient build() {
            HttpClient client = http != null ? http : HttpClient.newBuilder()
                    .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            return new MarketClient(limiter, adapter, new HttpSender(client, requestTimeout, adapter::answerCharset), listener,
                    followMarketLevel);
        }
    }
}
