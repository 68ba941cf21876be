package io.marketgate.handlers;

import io.marketgate.config.AdapterType;
import io.marketgate.config.MarketConfig;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CallOutcome.MarketAnswer;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapterFactory;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import io.marketgate.market.auth.CredentialField;
import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.market.auth.Credentials;
import io.marketgate.market.auth.CredentialsUnavailableException;
import io.marketgate.market.reference.ReferenceRestAdapter;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A test-only protocol with per-seller credentials: the reference REST protocol, whose {@code X-Api-Key} is each
 * seller's own {@code apiKey} (secret) read from the context's credential source when the call is authorized, beside a
 * public {@code vendorId} that names the seller's vendor budget. It masks the seller's secrets in every reason, as a
 * market's adapter must. Handed to {@link HandlerDependencies.Builder#adapterFactory}, not listed for the ServiceLoader.
 */
final class SellerKeyAdapterFactory implements MarketAdapterFactory {

    static final CredentialSchema SCHEMA = CredentialSchema.of(List.of(
            CredentialField.id("vendorId", "V[0-9]{4}", "V and 4 digits"),
            CredentialField.secret("apiKey", "sk-live-[A-Za-z0-9-]{8,64}", "sk-live- and 8 to 64 letters, digits or '-'")));

    @Override
    public AdapterType type() {
        return AdapterType.REFERENCE_REST;
    }

    @Override
    public CredentialSchema credentialSchema() {
        return SCHEMA;
    }

    @Override
    public MarketAdapter create(MarketConfig market, AdapterContext context) {
        return new Adapter(ReferenceRestAdapter.of(market, context.variables(), context.clock()), context);
    }

    private record Adapter(ReferenceRestAdapter reference, AdapterContext context) implements MarketAdapter {

        @Override
        public String market() {
            return reference.market();
        }

        @Override
        public Duration requestTimeout() {
            return reference.requestTimeout();
        }

        @Override
        public List<TimeWindow> windows(CollectionRequest request) {
            return reference.windows(request);
        }

        @Override
        public PlannedCall planPage(CollectionRequest request, TimeWindow window, Optional<String> cursor) {
            return reference.planPage(request, window, cursor);
        }

        @Override
        public PlannedCall planGetOrder(Seller seller, String orderId) {
            return reference.planGetOrder(seller, orderId);
        }

        @Override
        public PlannedCall planShipOrder(MarketAction.ShipOrder action) {
            return reference.planShipOrder(action);
        }

        @Override
        public Optional<CallOutcome> authorize(PlannedCall call, HttpRequest.Builder request, AuthCalls calls) {
            String sellerId = call.seller().orElseThrow().id();
            try {
                Credentials credentials = context.credentials().credentials(market(), sellerId);
                request.setHeader(ReferenceRestAdapter.API_KEY_HEADER, credentials.get("apiKey"));
                return Optional.empty();
            } catch (CredentialsUnavailableException e) {
                return Optional.of(e.isTransient() ? new CallOutcome.Retryable(e.getMessage()) : new CallOutcome.Fatal(e.getMessage()));
            }
        }

        @Override
        public MarketAnswer classify(PlannedCall call, HttpResponse<String> response) {
            return masked(call, reference.classify(call, response));
        }

        @Override
        public MarketAnswer classifyFailure(PlannedCall call, IOException failure) {
            return masked(call, reference.classifyFailure(call, failure));
        }

        private MarketAnswer masked(PlannedCall call, MarketAnswer answer) {
            Optional<Credentials> credentials = call.seller().flatMap(s -> {
                try {
                    return Optional.of(context.credentials().credentials(market(), s.id()));
                } catch (CredentialsUnavailableException e) {
                    return Optional.empty();
                }
            });
            if (credentials.isEmpty()) {
                return answer;
            }
            Credentials c = credentials.get();
            return switch (answer) {
                case CallOutcome.Fatal f -> new CallOutcome.Fatal(c.mask(f.reason()), f.cause());
                case CallOutcome.Retryable r -> new CallOutcome.Retryable(c.mask(r.reason()));
                case CallOutcome.Throttled t -> new CallOutcome.Throttled(t.retryAfter(), t.budgets(), c.mask(t.reason()));
                case CallOutcome.Ok ok -> ok;
            };
        }

        @Override
        public Optional<PlannedCall> next(PlannedCall previous, MarketData.Page page) {
            return reference.next(previous, page);
        }
    }
}
