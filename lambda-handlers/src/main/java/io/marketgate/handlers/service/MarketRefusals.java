package io.marketgate.handlers.service;

import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.sellers.CachingCredentialSource;
import io.marketgate.sellers.SellerRecord;
import io.marketgate.sellers.SellerRegistry;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the collector and the actions consumer do, beyond failing a request, when a market refuses a seller's
 * credentials or the fleet's IP address, in one place:
 * <ul>
 *   <li>a seller whose credentials the market rejected ({@code credentials-rejected} in the sellers table) fails each
 *       request at once with that reason: no market call, no budget drawn;</li>
 *   <li>{@link io.marketgate.market.CallOutcome.Cause#CREDENTIALS_REJECTED}: the seller is marked
 *       {@code credentials-rejected} (with the masked reason and the time), its cached credentials are dropped, and
 *       {@value HandlerMetrics#CREDENTIALS_REJECTED} is counted; the request fails for good. A market whose protocol has
 *       no per-seller credentials (its key is the environment's) marks no seller: the key is the operator's to fix;</li>
 *   <li>{@link io.marketgate.market.CallOutcome.Cause#RECONNECT_REQUIRED}: the seller is marked {@code reconnect-required}
 *       and {@value HandlerMetrics#RECONNECT_REQUIRED} is counted; the request fails for good, and so do the seller's
 *       next ones, at once, until its owner consents again (the connection callback makes it active);</li>
 *   <li>{@link io.marketgate.market.CallOutcome.Cause#IP_NOT_ALLOWED}: every budget of the market is paused for every
 *       priority for {@link HandlerDependencies#ipPause()} (the whole fleet stops calling a market that refuses it),
 *       {@value HandlerMetrics#IP_REJECTED} is counted, and the message is handed back for that time.</li>
 * </ul>
 * Every reason passes through the seller's cached credentials' mask before it is logged or stored.
 */
final class MarketRefusals {

    private static final Logger log = LoggerFactory.getLogger(MarketRefusals.class);

    private final HandlerDependencies deps;
    private final MarketClients clients;
    private final SellerRegistry sellers;
    private final CachingCredentialSource credentials;

    MarketRefusals(HandlerDependencies deps, MarketClients clients) {
        this.deps = deps;
        this.clients = clients;
        this.sellers = deps.sellers();
        this.credentials = deps.credentials();
    }

    /**
     * The seller's row, if registered; credentials cached at another version than the row names are dropped, so that
     * credentials registered anew are used from this request on.
     */
    Optional<SellerRecord> row(String market, String sellerId) {
        Optional<SellerRecord> row = sellers.record(market, sellerId);
        row.ifPresent(r -> credentials.expectVersion(market, sellerId, r.credentialsVersion()));
        return row;
    }

    /** Whether the seller's requests fail without a market call: its credentials or its connection were refused. */
    static boolean failsAtOnce(SellerRecord seller) {
        return seller.credentialsRejected() || seller.reconnectRequired();
    }

    /** Why a request of a {@code credentials-rejected} or {@code reconnect-required} seller fails without a call. */
    static String rejectedReason(SellerRecord seller) {
        if (seller.reconnectRequired()) {
            return "reconnect required: the market refused the connection of seller " + seller.sellerId()
                    + seller.statusSince().map(t -> " at " + t).orElse("") + seller.statusReason().map(r -> " (" + r + ")").orElse("")
                    + "; its owner must consent again (GET /v1/sellers/" + seller.market() + "/" + seller.sellerId() + "/connect)";
        }
        return "the market rejected the credentials of seller " + seller.sellerId()
                + seller.statusSince().map(t -> " at " + t).orElse("") + seller.statusReason().map(r -> " (" + r + ")").orElse("")
                + "; register new credentials (POST /v1/sellers or marketgate sellers add) to make it active again";
    }

    /**
     * The market refused the seller's connection (its refresh token is expired, revoked or used, the app removed from the
     * mall, or the mall never connected): marks the seller {@code reconnect-required}, counts the metric; the reason to
     * record. The request fails for good: only the seller's owner can fix it, by consenting again.
     */
    String reconnectRequired(String market, String sellerId, String maskedReason) {
        clients.metrics().countForMarket(HandlerMetrics.RECONNECT_REQUIRED, market);
        boolean marked = sellers.markReconnectRequired(market, sellerId, maskedReason, deps.clock().instant());
        if (marked) {
            log.error("seller {} of {} marked reconnect-required: {}; its requests fail at once until its owner consents again",
                    sellerId, market, maskedReason);
        } else {
            log.warn("seller {} of {}: reconnect required ({}), not marked: it is unregistered or marked already", sellerId,
                    market, maskedReason);
        }
        return "reconnect required: " + maskedReason;
    }

    /** {@code text} without the seller's cached secret values. */
    String mask(String market, String sellerId, String text) {
        return credentials.mask(market, sellerId, text);
    }

    /**
     * The market rejected the seller's credentials: marks the seller (unless its credentials were registered anew since
     * the ones used), drops them from the cache, counts the metric; the reason to record.
     */
    String credentialsRejected(String market, String sellerId, String maskedReason) {
        clients.metrics().countForMarket(HandlerMetrics.CREDENTIALS_REJECTED, market);
        String reason = "credentials rejected: " + maskedReason;
        if (deps.credentialSchema(market).isEmpty()) {
            log.error("{} rejected the environment's key for it (its protocol has no per-seller credentials, so no seller is "
                    + "marked; fix the key in the environment): {}", market, maskedReason);
            return reason;
        }
        Optional<String> used = credentials.versionInUse(market, sellerId);
        boolean marked = sellers.markCredentialsRejected(market, sellerId, maskedReason, deps.clock().instant(), used);
        credentials.invalidate(market, sellerId);
        if (marked) {
            log.error("seller {} of {} marked credentials-rejected: {}; its requests fail at once until new credentials are "
                    + "registered", sellerId, market, maskedReason);
        } else {
            log.warn("seller {} of {}: credentials rejected ({}), not marked: it is unregistered, marked already, or its "
                    + "credentials were registered anew since", sellerId, market, maskedReason);
        }
        return reason;
    }

    /**
     * The market refused our IP address: pauses every budget of the market for every priority for
     * {@link HandlerDependencies#ipPause()} and counts the metric; how long to hand the message back.
     */
    Duration ipRejected(String market, String maskedReason) {
        clients.metrics().countForMarket(HandlerMetrics.IP_REJECTED, market);
        Duration pause = deps.ipPause();
        PriorityLimiter limiter = clients.limiter(market);
        for (Budget budget : limiter.budgets()) {
            for (Priority priority : Priority.values()) {
                try {
                    limiter.control().pause(budget.name(), priority, pause);
                } catch (RuntimeException e) {
                    log.warn("could not pause {} {} after the IP refusal: {}", budget.name(), priority, e.toString());
                }
            }
        }
        log.error("{} refused our IP address: {}; paused its budgets {} for every priority for {}: add the egress IP to the "
                + "market's allow-list (runbooks/new-fixed-ip.md)", market, maskedReason,
                limiter.budgets().stream().map(Budget::name).toList(), pause);
        return pause;
    }
}
