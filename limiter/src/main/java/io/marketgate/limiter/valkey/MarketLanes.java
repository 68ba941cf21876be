package io.marketgate.limiter.valkey;

import io.lettuce.core.RedisFuture;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The decisions of a store on their way to the server: each alone, or coalesced per market.
 *
 * <p>Coalescing: while {@value #MAX_IN_FLIGHT} decide scripts of a market are in flight on the connection, further
 * decisions of that market wait in the market's lane and then go together, up to {@value DecideScript#MAX_BATCH} in
 * one script call, which decides them in order, each exactly as if it had been its own call at the same server time.
 * Replies on one connection come back in the order the scripts were sent, and each script runs atomically after the
 * ones before it, so several in flight keep the server busy while the callers of the last batch are woken, without
 * changing what any decision sees. A lone caller never waits; under load the server runs one script per batch instead
 * of one per decision. A failure of the script call (timeout, disconnect) fails every decision of its batch.
 * Thread-safe.
 */
final class MarketLanes {

    /**
     * Decide scripts of one market in flight at once on the connection before further decisions wait to be batched. A
     * waiting decision's latency is its wait for a free slot plus its batch's round trip, so few slots make callers
     * wait and many make small batches (a script per decision costs the server about four times the floor's). Measured
     * with {@code ./marketgate bench} on 2 cores: at 16 callers 2 slots reached about 0.83x the floor, 6 about 0.97x,
     * 16 (no batching at that load) 0.76x; at 64 callers 2 to 8 slots all about 1.3-1.45x.
     */
    static final int MAX_IN_FLIGHT = 6;

    private final ValkeyConnection connection;
    private final DecideScript wire;
    private final boolean coalesce;
    /** Decisions waiting for a batch, per market. */
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Decide script calls sent (batches, and single decisions when not coalescing), for tests. */
    private final AtomicLong decideScripts = new AtomicLong();
    /** Decide script calls sent that held more than one decision, for tests. */
    private final AtomicLong batchedScripts = new AtomicLong();

    MarketLanes(ValkeyConnection connection, DecideScript wire, boolean coalesce) {
        this.connection = connection;
        this.wire = wire;
        this.coalesce = coalesce;
    }

    /** Decides {@code call}: alone when not coalescing or when its budgets span markets, else in its market's lane. */
    Decision decide(DecideScript.Call call) {
        List<Budget> budgets = call.budgets();
        String market = budgets.get(0).market();
        if (!coalesce || !oneMarket(budgets, market)) {
            return decideAlone(call);
        }
        Lane lane = lanes.computeIfAbsent(market, m -> new Lane());
        Request request = new Request(call);
        Flight flight = null;
        synchronized (lane) {
            if (lane.flights.size() >= MAX_IN_FLIGHT) {
                lane.queue.add(request);
            } else {
                request.taken = true;
                flight = lane.launch();
            }
        }
        if (flight != null) {
            send(lane, flight, List.of(request), false);
        }
        return await(lane, request);
    }

    /** Decides {@code calls} in one script call, in order, as a lane would batch them; for tests of the batch. */
    List<Decision> decideBatch(List<DecideScript.Call> calls) {
        if (calls.isEmpty() || calls.size() > DecideScript.MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1 to " + DecideScript.MAX_BATCH + " calls, not " + calls.size());
        }
        DecideScript.Script script = wire.decide(calls);
        counted(calls.size());
        List<Object> reply = connection.run(script.keys(), script.args());
        DecideScript.noteGrants(script, reply);
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            decisions.add(DecideScript.decision(calls.get(i), reply, i));
        }
        return decisions;
    }

    /** How many decide script calls were sent: batches, or single decisions without coalescing. */
    long decideScriptCalls() {
        return decideScripts.get();
    }

    /** How many of the decide script calls held more than one decision. */
    long batchedScriptCalls() {
        return batchedScripts.get();
    }

    private void counted(int decisions) {
        decideScripts.incrementAndGet();
        if (decisions > 1) {
            batchedScripts.incrementAndGet();
        }
    }

    private static boolean oneMarket(List<Budget> budgets, String market) {
        for (int i = 1; i < budgets.size(); i++) {
            if (!budgets.get(i).market().equals(market)) {
                return false;
            }
        }
        return true;
    }

    private Decision decideAlone(DecideScript.Call call) {
        DecideScript.Script script = wire.decide(List.of(call));
        counted(1);
        List<Object> reply = connection.run(script.keys(), script.args());
        DecideScript.noteGrants(script, reply);
        return DecideScript.decision(call, reply, 0);
    }

    /** The decisions of one market on this store waiting for their batch, and the batches in flight, oldest first. */
    private static final class Lane {
        final ArrayDeque<Request> queue = new ArrayDeque<>();
        final ArrayDeque<Flight> flights = new ArrayDeque<>();

        /** Registers a batch about to be sent; guarded by the lane. */
        Flight launch() {
            Flight f = new Flight(System.nanoTime());
            flights.addLast(f);
            return f;
        }
    }

    /**
     * One batch in flight. A batch that never completes (which Lettuce's timeout rules out) would be given up after a
     * while; the completion of a given-up batch must not touch the lane any more.
     */
    private static final class Flight {
        final long sentAt;
        /** Guarded by the lane. */
        boolean abandoned;

        Flight(long sentAt) {
            this.sentAt = sentAt;
        }
    }

    /** One decision in a lane: its call, and once its batch is back, the reply or the failure. */
    private static final class Request {
        final DecideScript.Call call;
        final Thread waiter = Thread.currentThread();
        /** Whether a batch has taken it from the queue; guarded by the lane. */
        boolean taken;
        /** System.nanoTime() when its batch was (last) sent; 0 before. */
        volatile long sentAt;
        volatile List<Object> reply;
        volatile int index;
        volatile Throwable failure;
        volatile boolean done;

        Request(DecideScript.Call call) {
            this.call = call;
        }

        void finish(List<Object> reply, int index, Throwable failure) {
            this.reply = reply;
            this.index = index;
            this.failure = failure;
            this.done = true;
            LockSupport.unpark(waiter);
        }
    }

    /** Sends a batch that has been taken from its lane; its completion sends the next one. */
    private void send(Lane lane, Flight flight, List<Request> batch, boolean eval) {
        DecideScript.Script script;
        RedisFuture<List<Object>> future;
        try {
            List<DecideScript.Call> calls = new ArrayList<>(batch.size());
            for (Request r : batch) {
                calls.add(r.call);
            }
            script = wire.decide(calls);
            long now = System.nanoTime();
            for (Request r : batch) {
                r.sentAt = now;
            }
            if (!eval) {
                counted(batch.size());
            }
            future = connection.send(script.keys(), script.args(), eval);
        } catch (RuntimeException e) {
            completed(lane, flight, batch, null, e);
            return;
        }
        future.whenComplete((reply, failure) -> {
            Throwable cause = failure;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (!eval && ValkeyConnection.isNoScript(cause)) {
                // a restarted server, or a cluster node that never saw the script: EVAL runs it and caches it there
                send(lane, flight, batch, true);
            } else {
                if (cause == null) {
                    try {
                        DecideScript.noteGrants(script, reply);
                    } catch (RuntimeException malformed) {
                        // the callers' decision() reports a malformed reply; the expiry cells only save work
                    }
                }
                completed(lane, flight, batch, reply, cause);
            }
        });
    }

    /** Sends the next batch of the lane, if any, then hands this batch's reply (or failure) to its callers. */
    private void completed(Lane lane, Flight flight, List<Request> batch, List<Object> reply, Throwable failure) {
        List<Request> next = null;
        Flight nextFlight = null;
        synchronized (lane) {
            if (!flight.abandoned) {
                lane.flights.remove(flight);
                next = take(lane);
                if (next != null) {
                    nextFlight = lane.launch();
                }
            }
        }
        if (next != null) {
            send(lane, nextFlight, next, false);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).finish(reply, i, failure);
        }
    }

    /**
     * The next batch of the lane, oldest first, at most {@value DecideScript#MAX_BATCH} decisions; null when none
     * waits. A decision whose budget has the name of one already in the batch but other settings waits for a later
     * batch. Guarded by the lane.
     */
    private static List<Request> take(Lane lane) {
        if (lane.queue.isEmpty()) {
            return null;
        }
        List<Request> batch = new ArrayList<>(Math.min(lane.queue.size(), DecideScript.MAX_BATCH));
        List<Budget> first = null;
        Map<String, Budget> byName = null;
        for (Iterator<Request> it = lane.queue.iterator(); it.hasNext() && batch.size() < DecideScript.MAX_BATCH; ) {
            Request r = it.next();
            List<Budget> budgets = r.call.budgets();
            if (first == null) {
                first = budgets;
            } else if (!budgets.equals(first)) {
                if (byName == null) {
                    byName = new HashMap<>();
                    for (Budget b : first) {
                        byName.put(b.name(), b);
                    }
                }
                if (!fits(budgets, byName)) {
                    continue;
                }
            }
            it.remove();
            r.taken = true;
            batch.add(r);
        }
        return batch;
    }

    /** Adds {@code budgets} to the batch's budgets by name, unless one of them clashes with a different budget of its name. */
    private static boolean fits(List<Budget> budgets, Map<String, Budget> byName) {
        for (Budget b : budgets) {
            Budget known = byName.get(b.name());
            if (known != null && !known.equals(b)) {
                return false;
            }
        }
        for (Budget b : budgets) {
            byName.putIfAbsent(b.name(), b);
        }
        return true;
    }

    /**
     * Waits for the request's batch: at most the command timeout after it was sent, and while its batch waits for
     * the one in flight, at most as long as that one may take ({@code 2 ×} the timeout: EVALSHA, then EVAL).
     */
    private Decision await(Lane lane, Request r) {
        long timeoutNanos = connection.timeoutNanos();
        long enqueued = System.nanoTime();
        while (!r.done) {
            long sentAt = r.sentAt;
            long now = System.nanoTime();
            long deadline = sentAt != 0 ? sentAt + timeoutNanos : enqueued + 3 * timeoutNanos;
            if (now - deadline >= 0) {
                if (sentAt != 0) {
                    throw connection.unavailable(new TimeoutException("no reply within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms"));
                }
                List<Request> batch = null;
                Flight flight = null;
                synchronized (lane) {
                    if (!r.taken) {
                        lane.queue.remove(r);
                        Flight oldest = lane.flights.peekFirst();
                        if (oldest != null && now - oldest.sentAt > 3 * timeoutNanos) {
                            // the batches in flight never completed: give them up, so that the market's decisions go on
                            lane.flights.forEach(f -> f.abandoned = true);
                            lane.flights.clear();
                        }
                        if (lane.flights.size() < MAX_IN_FLIGHT) {
                            batch = take(lane);
                            if (batch != null) {
                                flight = lane.launch();
                            }
                        }
                    }
                }
                if (batch != null) {
                    send(lane, flight, batch, false);
                }
                if (!r.taken) {
                    throw connection.unavailable(new TimeoutException("no reply within "
                            + Duration.ofNanos(3 * timeoutNanos).toMillis() + " ms: the market's batch before this one is still waiting"));
                }
                continue;
            }
            LockSupport.parkNanos(this, deadline - now);
            if (Thread.interrupted()) {
                synchronized (lane) {
                    if (!r.taken) {
                        lane.queue.remove(r);
                    }
                }
                Thread.currentThread().interrupt();
                throw connection.unavailable(new InterruptedException("interrupted while waiting for the store"));
            }
        }
        Throwable failure = r.failure;
        if (failure != null) {
            throw connection.unavailable(failure);
        }
        return DecideScript.decision(r.call, r.reply, r.index);
    }
}
