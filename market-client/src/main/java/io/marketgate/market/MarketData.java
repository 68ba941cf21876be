package io.marketgate.market;

import java.util.List;
import java.util.Optional;

/** What a successful market call returned, parsed. */
public sealed interface MarketData
        permits MarketData.Page, MarketData.ActionDone, MarketData.Token, MarketData.TokenPair {

    /** One page of a list call: of orders ({@link OrderPage}) or of another kind's records ({@link RecordPage}). */
    sealed interface Page extends MarketData permits OrderPage, RecordPage {
        /** Where the next page starts; empty on the window's last page. */
        Optional<String> nextCursor();

        /** The records on this page. */
        int size();
    }

    /**
     * One page of a list call.
     *
     * @param orders the page's orders, in the market's order
     * @param nextCursor where the next page starts (a cursor token, or a page number for markets that page by
     *     number); empty on the window's last page
     */
    record OrderPage(List<Order> orders, Optional<String> nextCursor) implements Page {
        public OrderPage {
            orders = List.copyOf(orders);
            nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
        }

        @Override
        public int size() {
            return orders.size();
        }
    }

    /**
     * One page of a list call of a kind other than orders.
     *
     * @param kind the kind listed; every record is of it
     * @param records the page's records, in the market's order
     * @param nextCursor where the next page starts; empty on the window's last page
     */
    record RecordPage(DataKind kind, List<MarketRecord> records, Optional<String> nextCursor) implements Page {
        public RecordPage {
            java.util.Objects.requireNonNull(kind, "kind");
            records = List.copyOf(records);
            nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
            for (MarketRecord r : records) {
                if (r.kind() != kind) {
                    throw new IllegalArgumentException("record " + r.id() + " is of " + r.kind().configName()
                            + ", not of the page's kind " + kind.configName());
                }
            }
        }

        @Override
        public int size() {
            return records.size();
        }
    }

    /**
     * An action was applied.
     *
     * @param alreadyApplied the market said it had been applied before (for example a second shipment of an
     *     order, HTTP 409): the action's effect holds, so it counts as done and is not retried
     */
    record ActionDone(String action, boolean alreadyApplied) implements MarketData {}

    /**
     * An access token the market issued (the answer to a {@link PlannedCall.Authenticate} call). Its
     * {@code toString()} never shows the value.
     */
    record Token(io.marketgate.market.auth.CachedToken token) implements MarketData {}

    /**
     * An access token and the refresh token that renews it, as a market that rotates refresh tokens issues them (the
     * answer to a code exchange or a refresh, Cafe24's): the refresh token sent is dead from now on, so this pair must
     * be stored before anything else. Its {@code toString()} never shows a value.
     */
    record TokenPair(io.marketgate.market.auth.CachedToken access, io.marketgate.market.auth.CachedToken refresh)
            implements MarketData {
        public TokenPair {
            java.util.Objects.requireNonNull(access, "access");
            java.util.Objects.requireNonNull(refresh, "refresh");
        }
    }
}
