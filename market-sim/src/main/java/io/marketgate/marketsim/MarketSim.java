package io.marketgate.marketsim;

import com.sun.net.httpserver.HttpServer;
import io.marketgate.marketsim.internal.HttpFront;
import io.marketgate.marketsim.internal.MarketEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP server (the JDK's {@code HttpServer}, one virtual thread per request) that serves one or more simulated
 * markets, each under its own base path: {@code http://127.0.0.1:{port}/{market}/v1/sellers/{sellerId}/orders} for the
 * reference protocol, {@code …/coupang/v2/providers/openapi/apis/api/v4/vendors/{vendorId}/ordersheets} and
 * {@code …/naver/external/v1/oauth2/token} for the real ones ({@link Protocol}, {@link MarketPresets#coupangWing()},
 * {@link MarketPresets#naverCommerce()}).
 * Several markets share one server, one port and one clock; start one server per market instead when a test wants
 * them apart.
 *
 * <pre>{@code
 * try (MarketSim sim = MarketSim.builder()
 *         .market(MarketPresets.coupang().apiKeys("vendor-a").sellers("A001").build())
 *         .market(MarketPresets.elevenSt().apiKeys("key-11").sellers("S1").build())
 *         .start()) {
 *     String coupang = sim.baseUrl("coupang");            // http://127.0.0.1:54321/coupang
 *     // … run a collector against it …
 *     assertThat(sim.market("coupang").callsOverBudget()).isZero();
 * }
 * }</pre>
 */
public final class MarketSim implements AutoCloseable {

    private final Map<String, SimulatedMarket> markets = new LinkedHashMap<>();
    private final Map<String, MarketEngine> engines = new LinkedHashMap<>();
    private final InetAddress bindAddress;
    private final int requestedPort;
    private final SimClock clock;
    private HttpServer server;
    private ExecutorService executor;

    private MarketSim(Builder b) {
        AtomicLong sequence = new AtomicLong();
        for (MarketConfig config : b.markets) {
            MarketEngine engine = new MarketEngine(config, b.clock, sequence);
            engines.put(config.name(), engine);
            markets.put(config.name(), new SimulatedMarket(engine, this));
        }
        this.bindAddress = b.bindAddress;
        this.requestedPort = b.port;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts serving; returns this. */
    public synchronized MarketSim start() {
        if (server != null) {
            throw new IllegalStateException("market sim already started on port " + port());
        }
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, requestedPort), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the market sim to " + bindAddress.getHostAddress() + ":" + requestedPort, e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", new HttpFront(engines));
        server.start();
        return this;
    }

    /** The bound port (the free port chosen when configured with 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("market sim is not started");
        }
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/{market}}, without a trailing slash. */
    public String baseUrl(String market) {
        market(market);
        String host = bindAddress.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port() + "/" + market;
    }

    public SimulatedMarket market(String name) {
        SimulatedMarket m = markets.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no market '" + name + "'; this sim serves " + markets.keySet());
        }
        return m;
    }

    public List<SimulatedMarket> markets() {
        return List.copyOf(markets.values());
    }

    /** The arrivals of every market, in arrival order. */
    public List<Arrival> arrivals() {
        List<Arrival> all = new ArrayList<>();
        engines.values().forEach(e -> all.addAll(e.arrivals()));
        all.sort(Comparator.comparingLong(Arrival::sequence));
        return all;
    }

    /** The server's clock (arrival timestamps are read from it). */
    public SimClock clock() {
        return clock;
    }

    /** Stops at once: requests in flight (a slow fault's sleep included) are interrupted. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    /** Markets, address and clock of a {@link MarketSim}. */
    public static final class Builder {
        private final List<MarketConfig> markets = new ArrayList<>();
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private SimClock clock = SimClock.system();

        private Builder() {}

        /** Adds a market, served under {@code /{name}}. At least one. */
        public Builder market(MarketConfig config) {
            Objects.requireNonNull(config, "config");
            if (markets.stream().anyMatch(m -> m.name().equals(config.name()))) {
                throw new IllegalArgumentException("market '" + config.name() + "' is added twice");
            }
            markets.add(config);
            return this;
        }

        /** Default: the loopback address. */
        public Builder bindAddress(InetAddress address) {
            bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        /** Default 0: a free port, read it back with {@link MarketSim#port()}. */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port is " + p + ", must be 0–65535");
            }
            port = p;
            return this;
        }

        /** Default {@link SimClock#system()}; a {@link SimClock.Manual} makes every budget decision a test's choice. */
        public Builder clock(SimClock c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public MarketSim build() {
            if (markets.isEmpty()) {
                throw new IllegalStateException("a market sim needs at least one market");
            }
            return new MarketSim(this);
        }

        /** {@link #build()} and {@link MarketSim#start()}. */
        public MarketSim start() {
            return build().start();
        }
    }
}
