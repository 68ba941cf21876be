package io.marketgate.handlers.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.handlers.HandlerDependencies;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.limiter.Budget;
import io.marketgate.sellers.InvalidCredentialsException;
import io.marketgate.sellers.SellerDirectory;
import io.marketgate.sellers.SellerRecord;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.sellers.SellerStoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/sellers}, {@code GET /v1/sellers?market=}, {@code GET} and {@code DELETE /v1/sellers/{market}/{sellerId}}:
 * sellers and their credentials (see {@link SellerDirectory}).
 *
 * <p>A registration is checked against the market's credential schema before anything is written: a bad one is 422
 * naming {@code credentials.<field>} and the rule, never echoing a value (a syntax error of the body names the line and
 * column only). Then the secret is written, then the row; when the row cannot be written the secret is put back as it
 * was. Answers show the public fields and the status, never a secret field.
 */
final class SellersApi {

    private static final Logger log = LoggerFactory.getLogger(SellersApi.class);

    static final List<String> FIELDS = List.of("market", "sellerId", "credentials");
    static final int DEFAULT_LIMIT = 100;

    private final HandlerDependencies deps;
    private final SellerDirectory directory;

    SellersApi(HandlerDependencies deps) {
        this.deps = deps;
        this.directory = deps.sellerDirectory();
    }

    ApiResponse create(ApiRequest request) {
        JsonBody body = JsonBody.parseQuietly(request.body(), FIELDS);
        String market = body.id("market", Budget.NAME_PART, Rules.MARKET_NAME).orElseThrow(() -> JsonBody.missing("market"));
        String sellerId = body.id("sellerId", Budget.KEY, Rules.ID).orElseThrow(() -> JsonBody.missing("sellerId"));
        Map<String, String> credentials = body.textMap("credentials").orElseThrow(() -> Problem.badRequest("credentials",
                "required", "credentials: required, an object of the market's credential fields ({} for a market whose "
                        + "key is the environment's)").exception());
        Rules.knownMarket(deps.environment(), market);
        SellerDirectory.Registration registration;
        try {
            registration = directory.register(market, sellerId, credentials);
        } catch (InvalidCredentialsException e) {
            throw Problem.unprocessable(e.field(), e.rule(), e.getMessage()).exception();
        } catch (IllegalStateException e) {
            throw new Problem(503, "credentials", "secret-store", e.getMessage()).exception();
        } catch (SellerStoreException e) {
            log.error("registering seller {} of {} failed: {}", sellerId, market, e.getMessage());
            throw new Problem(503, null, "store-unavailable", "the seller could not be registered, and nothing was left "
                    + "half-done: " + e.getMessage() + "; try again").exception();
        }
        String location = "/v1/sellers/" + market + "/" + sellerId;
        return ApiResponse.json(registration.replaced() ? 200 : 201, json(registration.seller()).toString())
                .withHeader("Location", location);
    }

    ApiResponse list(ApiRequest request) {
        String market = JsonBody.checkId("market", request.parameter("market").orElseThrow(() -> Problem.badRequest("market",
                "required", "market: required, the query parameter ?market= naming the market").exception()),
                Budget.NAME_PART, Rules.MARKET_NAME);
        Rules.knownMarket(deps.environment(), market);
        int limit = request.parameter("limit").map(SellersApi::limit).orElse(DEFAULT_LIMIT);
        Optional<String> after = request.parameter("after").map(a -> JsonBody.checkId("after", a, Budget.KEY, Rules.ID));
        SellerRegistry.Page page = directory.list(market, after, limit);
        ObjectNode answer = Messages.json().createObjectNode().put("market", market);
        ArrayNode sellers = answer.putArray("sellers");
        page.sellers().forEach(s -> sellers.add(json(s)));
        page.next().ifPresent(n -> answer.put("next", "/v1/sellers?market=" + market + "&limit=" + limit + "&after=" + n));
        return ApiResponse.json(200, answer.toString());
    }

    ApiResponse get(String market, String sellerId) {
        checkPath(market, sellerId);
        SellerRecord seller = directory.find(market, sellerId).orElseThrow(() -> Problem.notFound("sellerId",
                "sellerId: no seller " + sellerId + " of " + market + " is registered").exception());
        return ApiResponse.json(200, json(seller).toString());
    }

    ApiResponse delete(String market, String sellerId) {
        checkPath(market, sellerId);
        SellerDirectory.Removal removal;
        try {
            removal = directory.remove(market, sellerId);
        } catch (SellerStoreException e) {
            log.error("removing seller {} of {} failed: {}", sellerId, market, e.getMessage());
            throw new Problem(503, null, "store-unavailable", e.getMessage()).exception();
        }
        if (!removal.removedAnything()) {
            throw Problem.notFound("sellerId", "sellerId: no seller " + sellerId + " of " + market + " is registered").exception();
        }
        ObjectNode answer = Messages.json().createObjectNode().put("market", market).put("sellerId", sellerId)
                .put("removed", true);
        removal.secret().ifPresent(s -> {
            ObjectNode secret = answer.putObject("secret").put("name", s.secretName());
            s.recoverableUntil().ifPresentOrElse(t -> secret.put("recoverableUntil", t.toString()),
                    () -> secret.put("deleted", true));
        });
        return ApiResponse.json(200, answer.toString());
    }

    private void checkPath(String market, String sellerId) {
        JsonBody.checkId("market", market, Budget.NAME_PART, Rules.MARKET_NAME);
        JsonBody.checkId("sellerId", sellerId, Budget.KEY, Rules.ID);
        if (!deps.environment().markets().containsKey(market)) {
            throw Problem.notFound("market", "market: unknown market '" + market + "'; markets: "
                    + String.join(", ", deps.environment().markets().keySet())).exception();
        }
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= SellerRegistry.MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Problem.badRequest("limit", "range", "limit: must be a whole number from 1 to " + SellerRegistry.MAX_PAGE
                + ", was '" + JsonBody.abbreviate(text) + "'").exception();
    }

    /** The seller as the API shows it: public fields and status, never a secret field. */
    static ObjectNode json(SellerRecord s) {
        ObjectNode node = Messages.json().createObjectNode().put("market", s.market()).put("sellerId", s.sellerId())
                .put("status", s.status().label()).put("active", s.active());
        s.statusReason().ifPresent(r -> node.put("statusReason", r));
        s.statusSince().ifPresent(t -> node.put("statusSince", t.toString()));
        ObjectNode open = node.putObject("publicFields");
        s.publicFields().forEach(open::put);
        s.registeredAt().ifPresent(t -> node.put("registeredAt", t.toString()));
        return node;
    }
}
