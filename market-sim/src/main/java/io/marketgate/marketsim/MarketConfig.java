package io.marketgate.marketsim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything one simulated market does. Immutable; build it with {@link #named(String)} (or start from one of
 * {@link MarketPresets}) and change a copy with {@link #toBuilder()}.
 *
 * <pre>{@code
 * MarketConfig coupang = MarketConfig.named("coupang")
 *         .apiKeys("vendor-a").sellers("A001", "A002")
 *         .budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 10, Duration.ofSeconds(1)))
 *         .penalty(Penalty.after(20, Duration.ofMinutes(1)))
 *         .maxPageSize(50).maxRange(Duration.ofHours(24))
 *         .build();
 * }</pre>
 *
 * @param name                the market's path segment: its base URL is {@code http://host:port/{name}}
 * @param ipAllowList         source addresses allowed to call; empty means any address
 * @param trustForwardedFor   take the source address from {@code X-Forwarded-For} when present (a local runtime
 *                            simulating egress groups sets it); default false
 * @param ordersPerHour       mean number of orders per seller per hour (each hour draws 0…2×mean)
 * @param protocol            the wire protocol; {@link Protocol#REFERENCE} by default. {@code COUPANG}, {@code NAVER},
 *                            {@code ELEVENST} and {@code CAFE24} generate their sellers' credentials from the seed ({@link SimulatedMarket#credentials()}),
 *                            so {@code apiKeys} stays empty for them, and they use the markets' own page sizes, ranges
 *                            and refusals instead of {@code pagination}, the page sizes, {@code maxRange} and {@code throttle}
 * @param naverApps           Naver only: one app per seller (default) or one shared solution app
 * @param quotaPenaltyDelay   Naver only: how long after a non-standard token request its app is cut to one call per
 *                            hour; default zero (at once; the real market judges the previous day's requests)
 * @param ipAllowListOnToken  Naver only: whether the IP allow-list also guards the token endpoint; default false
 *                            (a token call from anywhere works, the order APIs answer 403)
 * @param orderLifecycle      how orders move through their stages over the market's clock; default
 *                            {@link OrderLifecycle#NONE} (each keeps the status of the protocol's fixed mix)
 * @param latency             the network delay of each request, drawn from the market's seed; a request is counted
 *                            only once its ingress half has passed. Default {@link Latency#NONE}; changeable at run
 *                            time with {@link SimulatedMarket#latency(Latency)}
 */
public record MarketConfig(
        String name,
        Set<String> apiKeys,
        Set<String> sellers,
        List<MarketBudget> budgets,
        Throttle throttle,
        Penalty penalty,
        Pagination pagination,
        int defaultPageSize,
        int maxPageSize,
        Duration maxRange,
        long seed,
        int ordersPerHour,
        Faults faults,
        Set<String> ipAllowList,
        boolean trustForwardedFor,
        DuplicateShipments duplicateShipments,
        Protocol protocol,
        NaverApps naverApps,
        Duration quotaPenaltyDelay,
        boolean ipAllowListOnToken,
        OrderLifecycle orderLifecycle,
        Latency latency) {

    /** A market or budget name: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    /** Largest mean orders per seller per hour: order ids number the orders of one hour with three digits. */
    public static final int MAX_ORDERS_PER_HOUR = 499;

    public MarketConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("market name '" + name + "' must be lower-case letters, digits, '-', '_' or '.'");
        }
        Objects.requireNonNull(protocol, "protocol");
        apiKeys = Set.copyOf(apiKeys);
        if (protocol == Protocol.REFERENCE && apiKeys.isEmpty()) {
            throw new IllegalArgumentException("market " + name + ": apiKeys is empty, at least one key is needed");
        }
        if (protocol != Protocol.REFERENCE && !apiKeys.isEmpty()) {
            throw new IllegalArgumentException("market " + name + ": apiKeys must be empty for protocol " + protocol
                    + ", whose credentials the market generates per seller (SimulatedMarket.credentials())");
        }
        sellers = Set.copyOf(sellers);
        if (sellers.isEmpty()) {
            throw new IllegalArgumentException("market " + name + ": sellers is empty, at least one seller is needed");
        }
        for (String seller : sellers) {
            if (seller.isBlank() || seller.contains("/")) {
                throw new IllegalArgumentException("market " + name + ": seller id '" + seller + "' must be non-blank without '/'");
            }
        }
        budgets = List.copyOf(budgets);
        Set<String> budgetNames = new HashSet<>();
        for (MarketBudget b : budgets) {
            if (!budgetNames.add(b.name())) {
                throw new IllegalArgumentException("market " + name + ": budget name '" + b.name() + "' is used twice");
            }
        }
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(penalty, "penalty");
        Objects.requireNonNull(pagination, "pagination");
        if (maxPageSize < 1) {
            throw new IllegalArgumentException("market " + name + ": maxPageSize is " + maxPageSize + ", must be ≥ 1");
        }
        if (defaultPageSize < 1 || defaultPageSize > maxPageSize) {
            throw new IllegalArgumentException("market " + name + ": defaultPageSize is " + defaultPageSize
                    + ", must be between 1 and maxPageSize " + maxPageSize);
        }
        Objects.requireNonNull(maxRange, "maxRange");
        if (maxRange.isNegative() || maxRange.isZero()) {
            throw new IllegalArgumentException("market " + name + ": maxRange must be > 0");
        }
        if (ordersPerHour < 0 || ordersPerHour > MAX_ORDERS_PER_HOUR) {
            throw new IllegalArgumentException("market " + name + ": ordersPerHour is " + ordersPerHour
                    + ", must be between 0 and " + MAX_ORDERS_PER_HOUR);
        }
        Objects.requireNonNull(faults, "faults");
        ipAllowList = Set.copyOf(ipAllowList);
        Objects.requireNonNull(duplicateShipments, "duplicateShipments");
        Objects.requireNonNull(naverApps, "naverApps");
        Objects.requireNonNull(quotaPenaltyDelay, "quotaPenaltyDelay");
        orderLifecycle = orderLifecycle == null ? OrderLifecycle.NONE : orderLifecycle;
        latency = latency == null ? Latency.NONE : latency;
        if (quotaPenaltyDelay.isNegative()) {
            throw new IllegalArgumentException("market " + name + ": quotaPenaltyDelay is " + quotaPenaltyDelay
                    + ", must not be negative");
        }
    }

    /** Every setting but the latency, which is {@link Latency#NONE}: the constructor before latency existed. */
    public MarketConfig(String name, Set<String> apiKeys, Set<String> sellers, List<MarketBudget> budgets, Throttle throttle,
            Penalty penalty, Pagination pagination, int defaultPageSize, int maxPageSize, Duration maxRange, long seed,
            int ordersPerHour, Faults faults, Set<String> ipAllowList, boolean trustForwardedFor,
            DuplicateShipments duplicateShipments, Protocol protocol, NaverApps naverApps, Duration quotaPenaltyDelay,
            boolean ipAllowListOnToken, OrderLifecycle orderLifecycle) {
        this(name, apiKeys, sellers, budgets, throttle, penalty, pagination, defaultPageSize, maxPageSize, maxRange, seed,
                ordersPerHour, faults, ipAllowList, trustForwardedFor, duplicateShipments, protocol, naverApps,
                quotaPenaltyDelay, ipAllowListOnToken, orderLifecycle, Latency.NONE);
    }

    /** Starts a market; keys and sellers are required, every other setting has the default its setter names. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.apiKeys.addAll(apiKeys);
        b.sellers.addAll(sellers);
        b.budgets.addAll(budgets);
        b.throttle = throttle;
        b.penalty = penalty;
        b.pagination = pagination;
        b.defaultPageSize = defaultPageSize;
        b.maxPageSize = maxPageSize;
        b.maxRange = maxRange;
        b.seed = seed;
        b.ordersPerHour = ordersPerHour;
        b.faults = faults;
        b.ipAllowList.addAll(ipAllowList);
        b.trustForwardedFor = trustForwardedFor;
        b.duplicateShipments = duplicateShipments;
        b.protocol = protocol;
        b.naverApps = naverApps;
        b.quotaPenaltyDelay = quotaPenaltyDelay;
        b.ipAllowListOnToken = ipAllowListOnToken;
        b.orderLifecycle = orderLifecycle;
        b.latency = latency;
        return b;
    }

    /** The budget called {@code budgetName}. */
    public MarketBudget budget(String budgetName) {
        return budgets.stream().filter(b -> b.name().equals(budgetName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("market " + name + " has no budget '" + budgetName
                        + "'; it has " + budgets.stream().map(MarketBudget::name).toList()));
    }

    /** Settings of a {@link MarketConfig}; {@link #build()} validates them all. */
    public static final class Builder {
        private final String name;
        private final Set<String> apiKeys = new LinkedHashSet<>();
        private final Set<String> sellers = new LinkedHashSet<>();
        private final List<MarketBudget> budgets = new ArrayList<>();
        private Throttle throttle = Throttle.http429();
        private Penalty penalty = Penalty.NONE;
        private Pagination pagination = Pagination.CURSOR;
        private int defaultPageSize = 50;
        private int maxPageSize = 50;
        private Duration maxRange = Duration.ofHours(24);
        private long seed = 1L;
        private int ordersPerHour = 10;
        private OrderLifecycle orderLifecycle = OrderLifecycle.NONE;
        private Faults faults = Faults.NONE;
        private final Set<String> ipAllowList = new LinkedHashSet<>();
        private boolean trustForwardedFor;
        private DuplicateShipments duplicateShipments = DuplicateShipments.CONFLICT;
        private Protocol protocol = Protocol.REFERENCE;
        private NaverApps naverApps = NaverApps.PER_SELLER;
        private Duration quotaPenaltyDelay = Duration.ZERO;
        private boolean ipAllowListOnToken;
        private Latency latency = Latency.NONE;

        private Builder(String name) {
            this.name = name;
        }

        /** Adds valid {@code X-Api-Key} values (vendors, apps). Required for {@link Protocol#REFERENCE}, refused for the others. */
        public Builder apiKeys(String... keys) {
            apiKeys.addAll(List.of(keys));
            return this;
        }

        /** Adds known sellers (vendor ids, malls); other seller ids get 404. Required. */
        public Builder sellers(String... ids) {
            sellers.addAll(List.of(ids));
            return this;
        }

        /** Adds a budget; several may apply to one request, which must fit all of them. Default: none. */
        public Builder budget(MarketBudget budget) {
            budgets.add(Objects.requireNonNull(budget, "budget"));
            return this;
        }

        /** Replaces every budget (to shrink a preset's windows in tests). */
        public Builder budgets(List<MarketBudget> all) {
            budgets.clear();
            all.forEach(this::budget);
            return this;
        }

        /** How over-limit calls are answered. Default {@link Throttle#http429()}. */
        public Builder throttle(Throttle t) {
            throttle = Objects.requireNonNull(t, "throttle");
            return this;
        }

        /** The block after excess. Default {@link Penalty#NONE}. */
        public Builder penalty(Penalty p) {
            penalty = Objects.requireNonNull(p, "penalty");
            return this;
        }

        /** Cursor or page. Default {@link Pagination#CURSOR}. */
        public Builder pagination(Pagination p) {
            pagination = Objects.requireNonNull(p, "pagination");
            return this;
        }

        /** Page size when the request has no {@code size}. Default 50. */
        public Builder defaultPageSize(int size) {
            defaultPageSize = size;
            return this;
        }

        /** Largest accepted {@code size}. Default 50; lowers the default page size to match when needed. */
        public Builder maxPageSize(int size) {
            maxPageSize = size;
            defaultPageSize = Math.min(defaultPageSize, Math.max(size, 1));
            return this;
        }

        /** Largest {@code to − from} of one call. Default 24 hours. */
        public Builder maxRange(Duration range) {
            maxRange = Objects.requireNonNull(range, "maxRange");
            return this;
        }

        /** Seed of the generated orders and of the random faults. Default 1. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Mean orders per seller per hour. Default 10. */
        public Builder ordersPerHour(int n) {
            ordersPerHour = n;
            return this;
        }

        /** Random faults. Default {@link Faults#NONE}. */
        public Builder faults(Faults f) {
            faults = Objects.requireNonNull(f, "faults");
            return this;
        }

        /** Source addresses allowed to call; others get 403. Default: empty, any address. */
        public Builder ipAllowList(String... addresses) {
            ipAllowList.addAll(List.of(addresses));
            return this;
        }

        /** Whether {@code X-Forwarded-For} names the source address. Default false. */
        public Builder trustForwardedFor(boolean trust) {
            trustForwardedFor = trust;
            return this;
        }

        /** What a repeated shipment gets. Default {@link DuplicateShipments#CONFLICT} (409). */
        public Builder duplicateShipments(DuplicateShipments d) {
            duplicateShipments = Objects.requireNonNull(d, "duplicateShipments");
            return this;
        }

        /** The wire protocol. Default {@link Protocol#REFERENCE}. */
        public Builder protocol(Protocol p) {
            protocol = Objects.requireNonNull(p, "protocol");
            return this;
        }

        /** Naver: one app per seller or one shared solution app. Default {@link NaverApps#PER_SELLER}. */
        public Builder naverApps(NaverApps apps) {
            naverApps = Objects.requireNonNull(apps, "naverApps");
            return this;
        }

        /** Naver: delay between a non-standard token request and its app's one-call-per-hour quota. Default zero. */
        public Builder quotaPenaltyDelay(Duration delay) {
            quotaPenaltyDelay = Objects.requireNonNull(delay, "quotaPenaltyDelay");
            return this;
        }

        /** Naver: whether the IP allow-list also guards the token endpoint. Default false. */
        public Builder ipAllowListOnToken(boolean guard) {
            ipAllowListOnToken = guard;
            return this;
        }

        /** How orders move over the market's clock. Default {@link OrderLifecycle#NONE}: they keep their status. */
        public Builder orderLifecycle(OrderLifecycle lifecycle) {
            orderLifecycle = Objects.requireNonNull(lifecycle, "orderLifecycle");
            return this;
        }

        /**
         * The network delay of each request (half before the market counts it, half before the answer is written).
         * Default {@link Latency#NONE}.
         */
        public Builder latency(Latency l) {
            latency = Objects.requireNonNull(l, "latency");
            return this;
        }

        public MarketConfig build() {
            return new MarketConfig(name, apiKeys, sellers, budgets, throttle, penalty, pagination, defaultPageSize,
                    maxPageSize, maxRange, seed, ordersPerHour, faults, ipAllowList, trustForwardedFor, duplicateShipments,
                    protocol, naverApps, quotaPenaltyDelay, ipAllowListOnToken, orderLifecycle, latency);
        }
    }
}
