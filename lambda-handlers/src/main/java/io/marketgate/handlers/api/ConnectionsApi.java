package io.marketgate.handlers.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.service.MarketClients;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.ConsentFlow;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketData;
import io.marketgate.market.Seller;
import io.marketgate.market.auth.MallConnection;
import io.marketgate.sellers.ConnectStates;
import io.marketgate.sellers.SellerRecord;
import io.marketgate.sellers.SellerRegistry;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/sellers/{market}/{sellerId}/connect} and {@code GET /v1/connections/callback}: a seller of a market whose
 * sellers connect by consent (Cafe24) connects its mall.
 *
 * <ol>
 *   <li>{@code connect}: a new {@code state} (random, single use, valid {@link ConnectStates#DEFAULT_TTL}) is stored for the
 *       seller, and the answer is the market's consent page carrying it: {@code {"consentUrl": …, "expiresAt": …}}. The
 *       caller sends the mall's owner there.</li>
 *   <li>The market sends the owner's browser back to the environment's {@code adapter.redirectUri} (this callback) with
 *       {@code code} and {@code state}. The state is spent (an unknown, reused or expired one is a 400 problem naming
 *       {@code state}, and nothing changes); the code is exchanged at the market's token endpoint (a token call drawn from
 *       the market's {@code token} budgets) and the connection stored; a seller that was {@code reconnect-required} is
 *       active again.</li>
 * </ol>
 * No code, state or token appears in an answer or a log beyond the consent URL the caller asked for.
 */
final class ConnectionsApi {

    private static final Logger log = LoggerFactory.getLogger(ConnectionsApi.class);

    private final HandlerDependencies deps;
    private final SellerRegistry sellers;
    private final ConnectStates states;
    private final Supplier<MarketClients> clients;

    ConnectionsApi(HandlerDependencies deps) {
        this.deps = deps;
        this.sellers = deps.sellers();
        this.states = deps.connectStates();
        MarketClients[] made = new MarketClients[1];
        // the API calls a market only here: its clients (and limiters) are made at the first callback
        this.clients = () -> {
            synchronized (made) {
                if (made[0] == null) {
                    made[0] = new MarketClients(deps, HandlerMetrics.powertools());
                }
                return made[0];
            }
        };
    }

    ApiResponse connect(String market, String sellerId) {
        JsonBody.checkId("market", market, Budget.NAME_PART, Rules.MARKET_NAME);
        JsonBody.checkId("sellerId", sellerId, Budget.KEY, Rules.ID);
        if (!deps.environment().markets().containsKey(market)) {
            throw Problem.notFound("market", "market: unknown market '" + market + "'; markets: "
                    + String.join(", ", deps.environment().markets().keySet())).exception();
        }
        ConsentFlow flow = consent(market);
        SellerRecord seller = registered(market, sellerId);
        String state = states.issue(market, sellerId);
        URI page;
        try {
            page = flow.consentUrl(seller.seller(), state);
        } catch (IllegalStateException e) {
            throw new Problem(409, "market", "consent-unavailable", "market: " + e.getMessage()).exception();
        }
        log.info("consent of seller {} of {} started", sellerId, market);
        ObjectNode answer = Messages.json().createObjectNode().put("market", market).put("sellerId", sellerId)
                .put("consentUrl", page.toString())
                .put("expiresAt", deps.clock().instant().plus(states.ttl()).toString());
        return ApiResponse.json(200, answer.toString());
    }

    ApiResponse callback(ApiRequest request) throws InterruptedException {
        String state = request.parameter("state").filter(s -> !s.isBlank()).orElseThrow(() -> Problem.badRequest("state", "required",
                "state: required, the state the consent page was opened with").exception());
        Optional<String> refused = request.parameter("error");
        ConnectStates.Taken taken = states.take(state);
        if (!(taken instanceof ConnectStates.Taken.Found found)) {
            String reason = ((ConnectStates.Taken.Refused) taken).reason();
            throw Problem.badRequest("state", reason.startsWith("state expired") ? "expired-state" : "unknown-state",
                    "state: " + reason + "; nothing was changed").exception();
        }
        if (refused.isPresent()) {
            throw new Problem(403, "error", "consent-refused", "error: the mall's owner did not consent ("
                    + JsonBody.abbreviate(refused.get()) + "); start again with GET /v1/sellers/" + found.market() + "/"
                    + found.sellerId() + "/connect").exception();
        }
        String code = request.parameter("code").filter(c -> !c.isBlank()).orElseThrow(() -> Problem.badRequest("code", "required",
                "code: required, the code the market sent with the state; start again with GET /v1/sellers/" + found.market()
                        + "/" + found.sellerId() + "/connect").exception());
        ConsentFlow flow = consent(found.market());
        Seller seller = registered(found.market(), found.sellerId()).seller();
        MarketClient client = clients.get().client(found.market());
        CallOutcome outcome;
        try {
            outcome = client.execute(flow.planExchange(seller, code), Priority.HIGH, deps.maxActionWait());
        } catch (IllegalStateException e) {
            throw new Problem(409, "market", "consent-unavailable", "market: " + e.getMessage()).exception();
        }
        if (!(outcome instanceof CallOutcome.Ok(MarketData.TokenPair pair))) {
            String reason = deps.credentials().mask(found.market(), found.sellerId(), describe(outcome));
            log.warn("the code of seller {} of {} was not exchanged: {}", found.sellerId(), found.market(), reason);
            int status = outcome instanceof CallOutcome.Fatal ? 502 : 503;
            throw new Problem(status, "code", "exchange-failed", "code: the market did not exchange it (" + reason
                    + "); start again with GET /v1/sellers/" + found.market() + "/" + found.sellerId() + "/connect").exception();
        }
        MallConnection connection = flow.connected(seller, pair);
        sellers.markReconnected(found.market(), found.sellerId(), deps.clock().instant());
        log.info("seller {} of {} connected (connection version {})", found.sellerId(), found.market(), connection.version());
        ObjectNode answer = Messages.json().createObjectNode().put("market", found.market()).put("sellerId", found.sellerId())
                .put("status", connection.status().label()).put("version", connection.version())
                .put("connectedAt", connection.updatedAt().toString());
        connection.tokens().ifPresent(t -> answer.put("refreshTokenExpiresAt", t.refresh().expiresAt().toString()));
        return ApiResponse.json(200, answer.toString());
    }

    private ConsentFlow consent(String market) {
        try {
            return deps.adapter(market).consent().orElseThrow(() -> new Problem(409, "market", "no-consent",
                    "market: " + market + "'s sellers do not connect by consent (their registered credentials are enough)").exception());
        } catch (IllegalArgumentException e) {
            throw new Problem(409, "market", "no-consent", "market: " + e.getMessage()).exception();
        }
    }

    private SellerRecord registered(String market, String sellerId) {
        return sellers.record(market, sellerId).orElseThrow(() -> Problem.notFound("sellerId", "sellerId: no seller " + sellerId
                + " of " + market + " is registered (POST /v1/sellers with its mall and app first)").exception());
    }

    private static String describe(CallOutcome outcome) {
        return switch (outcome) {
            case CallOutcome.Fatal f -> f.reason();
            case CallOutcome.Retryable r -> r.reason();
            case CallOutcome.Throttled t -> "throttled: " + t.reason();
            case CallOutcome.Deferred d -> "the limiter deferred the token call for " + d.retryAfter();
            case CallOutcome.Ok ok -> "an answer that is not a token pair";
        };
    }
}
