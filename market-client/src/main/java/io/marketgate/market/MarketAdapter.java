package io.marketgate.market;

import io.marketgate.market.CallOutcome.MarketAnswer;
import io.marketgate.market.MarketData.OrderPage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One market protocol: how a request is planned into calls, and how the market's answer is classified. An adapter
 * never sends anything; {@link MarketClient} draws every call from the limiter, sends it, and asks the adapter what
 * the answer means.
 *
 * <p>Planning a collection: {@link #windows} splits the request's range into windows the market accepts in one call;
 * {@link #planPage} builds the call for one page of one window; {@link #next} builds the call after a page (the next
 * page of the window, or the first page of the next window). A collector that checkpoints the window and cursor of
 * each page it stored ({@link PlannedCall.Collect}) resumes with {@link #planPage} after a redelivery.
 *
 * <p>Every planning method validates its input and throws {@link IllegalArgumentException} naming the field
 * ({@code market}, {@code kind}, …) before any budget is drawn.
 *
 * <pre>{@code
 * MarketAdapter coupang = MarketAdapters.forMarket(environment, "coupang", System::getenv);
 * PlannedCall first = coupang.plan(request).get(0);
 * PlannedCall ship = coupang.plan(new MarketAction.ShipOrder(seller, "O-1", "CJ", "123456789"));
 * }</pre>
 */
public interface MarketAdapter {

    /** The market this adapter calls, as budgets and requests name it. */
    String market();

    /** How long one HTTP request may take; the client's default request timeout. */
    default Duration requestTimeout() {
        return Duration.ofSeconds(10);
    }

    /** The request's range split into windows of at most the market's maximum range per call, in time order. */
    List<TimeWindow> windows(CollectionRequest request);

    /** The call for the page at {@code cursor} (empty: the first page) of {@code window} of {@code request}. */
    PlannedCall planPage(CollectionRequest request, TimeWindow window, Optional<String> cursor);

    /** The first page of every window of the request, in time order. */
    default List<PlannedCall> plan(CollectionRequest request) {
        List<PlannedCall> calls = new ArrayList<>();
        for (TimeWindow window : windows(request)) {
            calls.add(planPage(request, window, Optional.empty()));
        }
        return calls;
    }

    /**
     * The call after {@code previous} answered {@code page}: the next page of the same window while the market
     * gives a cursor, then the first page of the next window; empty when the request is complete.
     */
    default Optional<PlannedCall> next(PlannedCall previous, MarketData.Page page) {
        if (!(previous.purpose() instanceof PlannedCall.Collect collect)) {
            throw new IllegalArgumentException("call " + previous + " is not a page of a collection");
        }
        if (page.nextCursor().isPresent()) {
            return Optional.of(planPage(collect.request(), collect.window(), page.nextCursor()));
        }
        CollectionRequest request = collect.request();
        if (!collect.window().to().isBefore(request.to())) {
            return Optional.empty();
        }
        CollectionRequest rest = new CollectionRequest(request.market(), request.seller(), request.kind(),
                collect.window().to(), request.to());
        TimeWindow nextWindow = windows(rest).get(0);
        return Optional.of(planPage(request, nextWindow, Optional.empty()));
    }

    /**
     * The call that reads one order of {@code seller} again (re-collection of a past order); its {@link CallOutcome.Ok}
     * carries an {@link OrderPage} of that order. Throws {@link IllegalArgumentException} naming the field for a bad id.
     */
    PlannedCall planGetOrder(Seller seller, String orderId);

    /**
     * Whether {@link #planGetOrder} answers an order in every state, so that an unfinished order can be followed to its
     * end one by one (the tracking of unfinished orders); true by default. 11st's one-order call answers a line only
     * while it is paid.
     */
    default boolean followsOneOrder() {
        return true;
    }

    /** The call that performs {@code action}. */
    default PlannedCall plan(MarketAction action) {
        return switch (action) {
            case MarketAction.ShipOrder ship -> planShipOrder(ship);
            default -> planAction(action);
        };
    }

    /**
     * The call of an action other than shipping (answer an inquiry, reply to a review, change a product, confirm or
     * reject a claim, acknowledge an order). An answer that says the action took effect before is
     * {@link MarketData.ActionDone} with {@code alreadyApplied}; one that says it never can (already answered, review
     * deleted, claim withdrawn) is {@link CallOutcome.Fatal} with {@link CallOutcome.Cause#ACTION_REFUSED} and the
     * market's reason.
     *
     * @throws IllegalArgumentException naming {@code action} when the market does not offer it
     */
    default PlannedCall planAction(MarketAction action) {
        throw new IllegalArgumentException("action: " + market() + " does not offer " + action.name());
    }

    /**
     * Checks {@code action} against the market's own limits (an answer longer than it takes), before anything is queued.
     *
     * @throws IllegalArgumentException naming the field and the market's rule
     */
    default void validate(MarketAction action) {}

    /**
     * The read an action's call needs first, when the action's own fields are not enough for the market (Coupang's
     * invoice names the order and its items, which a read of the shipment box gives); empty when the action plans
     * from its fields alone. Its {@link CallOutcome.Ok} carries a page (an {@link OrderPage}, or a
     * {@link MarketData.RecordPage} of the record acted on), handed to {@link #plan(MarketAction, MarketData.Page)}.
     */
    default Optional<PlannedCall> planLookup(MarketAction action) {
        return Optional.empty();
    }

    /** The action's call after its {@link #planLookup lookup} answered {@code lookedUp}; by default {@link #plan(MarketAction)}. */
    default PlannedCall plan(MarketAction action, OrderPage lookedUp) {
        return plan(action);
    }

    /**
     * The action's call after its {@link #planLookup lookup} answered a page of any kind: a read of an order gives an
     * {@link OrderPage} (handed to {@link #plan(MarketAction, OrderPage)}), a read of another record a
     * {@link MarketData.RecordPage} (Coupang reads a return request before confirming it); by default
     * {@link #plan(MarketAction)} for the latter.
     */
    default PlannedCall plan(MarketAction action, MarketData.Page lookedUp) {
        return lookedUp instanceof OrderPage orders ? plan(action, orders) : plan(action);
    }

    /** Ship an order; throws {@link IllegalArgumentException} when the market is not configured to ship. */
    PlannedCall planShipOrder(MarketAction.ShipOrder action);

    /**
     * Adds to {@code request} what depends on the moment of sending: a signature over the signed-date (Coupang), an
     * access token (Naver, fetched through {@code calls} when the fleet has none). Called after the limiter granted
     * {@code call}, before each send (again before a repeat after a refused token).
     *
     * @return empty when the request is ready; otherwise the outcome that stands for the call, which is then not
     *     sent (a token call deferred or throttled, credentials missing or refused)
     */
    default Optional<CallOutcome> authorize(PlannedCall call, HttpRequest.Builder request, AuthCalls calls)
            throws InterruptedException {
        return Optional.empty();
    }

    /**
     * The market refused the token {@code call} was sent with ({@link CallOutcome.Cause#TOKEN_REJECTED}): forget it, so
     * that the next {@link #authorize} fetches a new one.
     */
    default void tokenRejected(PlannedCall call) {}

    /**
     * The call that completes the page {@code listCall} answered, when the market's list gives ids and states but the
     * orders' details come from another call (Naver's product-order query); empty when the list page is complete. Its
     * {@link CallOutcome.Ok} carries an {@link OrderPage} of the same orders; the client keeps the list page's cursor.
     */
    default Optional<PlannedCall> detail(PlannedCall listCall, OrderPage page) {
        return Optional.empty();
    }

    /** What the market's answer to {@code call} means. */
    MarketAnswer classify(PlannedCall call, HttpResponse<String> response);

    /**
     * The charset an answer's body is decoded with before {@link #classify}: the one its {@code Content-Type} names,
     * else UTF-8 (JSON's). A market whose answers name none and are not UTF-8 says so here (11st: EUC-KR).
     */
    default Charset answerCharset(HttpHeaders headers) {
        return declaredCharset(headers).orElse(StandardCharsets.UTF_8);
    }

    /**
     * The charset the {@code Content-Type} of {@code headers} names ({@code text/xml; charset=EUC-KR}), when it names
     * one this JVM knows; empty without a header, without a {@code charset} parameter or with an unknown one.
     */
    static Optional<Charset> declaredCharset(HttpHeaders headers) {
        Optional<String> contentType = headers.firstValue("Content-Type");
        if (contentType.isEmpty()) {
            return Optional.empty();
        }
        for (String parameter : contentType.get().split(";")) {
            String p = parameter.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring("charset=".length()).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Optional.of(Charset.forName(name));
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * How full the market says its own bucket is, when its answer to {@code call} says so (Cafe24's
     * {@code X-Api-Call-Limit}), for the call's budgets configured with {@code followsMarketLevel: true}, which
     * {@link MarketClient} hands the level to the limiter for; by default empty. Called for every answer, whatever it
     * means.
     */
    default Optional<BucketLevel> bucketLevel(PlannedCall call, HttpResponse<String> response) {
        return Optional.empty();
    }

    /**
     * What it means when the market refuses a token the adapter has just fetched ({@link CallOutcome.Cause#TOKEN_REJECTED}
     * twice in a row): by default {@link CallOutcome.Cause#CREDENTIALS_REJECTED} (the seller's credentials no longer
     * work); a market whose tokens come from a seller's consent says {@link CallOutcome.Cause#RECONNECT_REQUIRED}.
     */
    default CallOutcome.Cause freshTokenRefused() {
        return CallOutcome.Cause.CREDENTIALS_REJECTED;
    }

    /**
     * How a seller connects this market by consent (OAuth2 authorization code: the market's consent page, then a code
     * exchanged for the seller's connection), when the market works so (Cafe24); empty when the seller's registered
     * credentials are enough.
     */
    default Optional<ConsentFlow> consent() {
        return Optional.empty();
    }

    /**
     * What a failure to get an answer means: by default every I/O failure (timeout, refused or reset connection)
     * may pass and is {@link CallOutcome.Retryable}.
     */
    default MarketAnswer classifyFailure(PlannedCall call, IOException failure) {
        String what = switch (failure) {
            case HttpConnectTimeoutException e -> "connecting timed out";
            case HttpTimeoutException e -> "no answer within the request timeout";
            case ConnectException e -> "connection failed: " + e.getMessage();
            default -> "I/O failure: " + failure;
        };
        return new CallOutcome.Retryable(what + " (" + call.method() + " " + call.path() + ")");
    }

    /** The market calls an adapter may make while authorizing one: token requests, drawn from the limiter. */
    @FunctionalInterface
    interface AuthCalls {
        /**
         * Draws {@code call} from the limiter at the priority of the call being authorized (waiting at most its
         * maximum), sends it as planned (a token call carries its credentials itself) and classifies the answer.
         */
        CallOutcome execute(PlannedCall call) throws InterruptedException;
    }
}
