package io.marketgate.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a market can be asked to do, by the names an environment file's {@code adapter.calls} maps to the market's
 * calls: one list operation per kind of data ({@code listClaims}), one operation per action ({@code answerInquiry}),
 * and the reads and token calls an adapter makes on the way.
 *
 * <p>A market <b>offers</b> a kind (or an action) when its protocol has the call ({@link AdapterType#kinds()},
 * {@link AdapterType#actions()}) and its section maps the operation ({@link MarketConfig#offersKind},
 * {@link MarketConfig#offersAction}); everything else is refused where it is asked for, before anything is queued.
 */
public final class Operations {

    /** The kinds of data a market may offer, as files, URLs and the scheduler's payload name them (lower case). */
    public static final List<String> KINDS = List.of("orders", "claims", "inquiries", "reviews", "products", "settlements");

    /** The actions a market may offer, by their request names. */
    public static final List<String> ACTIONS = List.of("ship-order", "acknowledge-order", "answer-inquiry", "reply-review",
            "change-price", "change-stock", "change-sale-status", "confirm-claim", "reject-claim");

    /** The kind each action acts on (an order, an inquiry, a review, a product, a claim). */
    public static final Map<String, String> ACTION_TARGETS = Map.of("ship-order", "orders", "acknowledge-order", "orders",
            "answer-inquiry", "inquiries", "reply-review", "reviews", "change-price", "products", "change-stock", "products",
            "change-sale-status", "products", "confirm-claim", "claims", "reject-claim", "claims");

    private Operations() {}

    /** The operation that lists {@code kind}: {@code claims} → {@code listClaims}. */
    public static String listOperation(String kind) {
        requireKind(kind);
        return "list" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }

    /** The operation of an action: {@code answer-inquiry} → {@code answerInquiry}. */
    public static String actionOperation(String action) {
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action '" + action + "' must be one of " + String.join(", ", ACTIONS));
        }
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : action.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    /** The list operations of {@code kinds}. */
    static List<String> listOperations(List<String> kinds) {
        return kinds.stream().map(Operations::listOperation).toList();
    }

    /** The operations of {@code actions}. */
    static List<String> actionOperations(List<String> actions) {
        return actions.stream().map(Operations::actionOperation).toList();
    }

    /** {@code kind} in lower case when it is one of {@link #KINDS}. */
    public static Optional<String> kind(String kind) {
        String k = kind == null ? "" : kind.strip().toLowerCase(Locale.ROOT);
        return KINDS.contains(k) ? Optional.of(k) : Optional.empty();
    }

    private static void requireKind(String kind) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind '" + kind + "' must be one of " + String.join(", ", KINDS));
        }
    }
}
