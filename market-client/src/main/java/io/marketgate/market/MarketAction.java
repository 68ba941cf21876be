package io.marketgate.market;

import java.util.regex.Pattern;

/**
 * A HIGH-priority action on a market on behalf of a seller. Adding an action is a new record here and its planning in
 * the adapters of the markets that offer it ({@link MarketAdapter#planAction}); a market offers an action when its
 * protocol has the call ({@code io.marketgate.config.AdapterType#actions()}) and its environment section maps the
 * action's {@link #operation()} in {@code adapter.calls}.
 *
 * <p>Each record checks what holds on every market (ids, a text not blank and at most {@link #MAX_TEXT} characters, a
 * price above zero); a market's own limits (a shorter answer) are checked by its adapter ({@link MarketAdapter#validate}),
 * before anything is queued.
 */
public sealed interface MarketAction permits MarketAction.ShipOrder, MarketAction.AcknowledgeOrder, MarketAction.AnswerInquiry,
        MarketAction.ReplyReview, MarketAction.ChangePrice, MarketAction.ChangeStock, MarketAction.ChangeSaleStatus,
        MarketAction.ConfirmClaim, MarketAction.RejectClaim {

    /** An order or other market id that goes into a URL path: letters, digits, '_', '.', '@' or '-'. */
    Pattern ID = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");

    /** The longest answer or reply text any market is known to take; a market's own may be shorter. */
    int MAX_TEXT = 4000;

    /** The highest price, in won. */
    long MAX_PRICE = 1_000_000_000L;

    /** The highest stock. */
    int MAX_STOCK = 99_999_999;

    /** Every action's {@link #name()}, in the order messages list them. */
    java.util.List<String> NAMES = java.util.List.of("ship-order", "acknowledge-order", "answer-inquiry", "reply-review",
            "change-price", "change-stock", "change-sale-status", "confirm-claim", "reject-claim");

    /** Whom the action is for. */
    Seller seller();

    /** The action's name in requests, logs and metrics, such as {@code ship-order}. */
    default String name() {
        return switch (this) {
            case ShipOrder a -> "ship-order";
            case AcknowledgeOrder a -> "acknowledge-order";
            case AnswerInquiry a -> "answer-inquiry";
            case ReplyReview a -> "reply-review";
            case ChangePrice a -> "change-price";
            case ChangeStock a -> "change-stock";
            case ChangeSaleStatus a -> "change-sale-status";
            case ConfirmClaim a -> "confirm-claim";
            case RejectClaim a -> "reject-claim";
        };
    }

    /** The id of the record the action acts on (an order, inquiry, review, product or claim id). */
    default String targetId() {
        return switch (this) {
            case ShipOrder a -> a.orderId();
            case AcknowledgeOrder a -> a.orderId();
            case AnswerInquiry a -> a.inquiryId();
            case ReplyReview a -> a.reviewId();
            case ChangePrice a -> a.productId();
            case ChangeStock a -> a.productId();
            case ChangeSaleStatus a -> a.productId();
            case ConfirmClaim a -> a.claimId();
            case RejectClaim a -> a.claimId();
        };
    }

    /** The kind of record the action acts on. */
    default DataKind target() {
        return switch (this) {
            case ShipOrder a -> DataKind.ORDERS;
            case AcknowledgeOrder a -> DataKind.ORDERS;
            case AnswerInquiry a -> DataKind.INQUIRIES;
            case ReplyReview a -> DataKind.REVIEWS;
            case ChangePrice a -> DataKind.PRODUCTS;
            case ChangeStock a -> DataKind.PRODUCTS;
            case ChangeSaleStatus a -> DataKind.PRODUCTS;
            case ConfirmClaim a -> DataKind.CLAIMS;
            case RejectClaim a -> DataKind.CLAIMS;
        };
    }

    /**
     * The operation an environment's {@code adapter.calls} maps to the market's call for this action
     * ({@code shipOrder}, {@code answerInquiry}, …).
     */
    default String operation() {
        return operation(name());
    }

    /** The operation of the action named {@code name}: {@code answer-inquiry} → {@code answerInquiry}. */
    static String operation(String name) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private static void requireSeller(Seller seller) {
        if (seller == null) {
            throw new IllegalArgumentException("seller is missing");
        }
    }

    private static void requireId(String field, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(field + " '" + id + "' must be 1 to 128 letters, digits, '_', '.', '@' or '-'");
        }
    }

    private static void requireText(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + " is empty: it must have some text");
        }
        int length = text.codePointCount(0, text.length());
        if (length > MAX_TEXT) {
            throw new IllegalArgumentException(field + " is " + length + " characters long, at most " + MAX_TEXT);
        }
    }

    /**
     * Ship an order: tell the market the carrier and the tracking number. Idempotent at the market's side for the
     * reference protocol (a second shipment of the same order is answered 409 and counts as done).
     */
    record ShipOrder(Seller seller, String orderId, String carrier, String trackingNumber) implements MarketAction {
        public ShipOrder {
            requireSeller(seller);
            requireId("orderId", orderId);
            if (carrier == null || carrier.isBlank()) {
                throw new IllegalArgumentException("carrier is missing");
            }
            if (trackingNumber == null || trackingNumber.isBlank()) {
                throw new IllegalArgumentException("trackingNumber is missing");
            }
        }



    }

    /**
     * Acknowledge a paid order (발주확인), which some markets ask for before shipping (Coupang ACCEPT → INSTRUCT,
     * Naver's confirm, 11st's reqpackaging). An order acknowledged already counts as done.
     */
    record AcknowledgeOrder(Seller seller, String orderId) implements MarketAction {
        public AcknowledgeOrder {
            requireSeller(seller);
            requireId("orderId", orderId);
        }



    }

    /** Answer a buyer's inquiry with {@code text}. An inquiry answered already is a final refusal, not a retry. */
    record AnswerInquiry(Seller seller, String inquiryId, String text) implements MarketAction {
        public AnswerInquiry {
            requireSeller(seller);
            requireId("inquiryId", inquiryId);
            requireText("text", text);
        }



    }

    /** Reply to a review with {@code text}. A deleted review is a final refusal. */
    record ReplyReview(Seller seller, String reviewId, String text) implements MarketAction {
        public ReplyReview {
            requireSeller(seller);
            requireId("reviewId", reviewId);
            requireText("text", text);
        }



    }

    /** Set a product's sale price, in won (above zero, at most {@link #MAX_PRICE}). */
    record ChangePrice(Seller seller, String productId, long price) implements MarketAction {
        public ChangePrice {
            requireSeller(seller);
            requireId("productId", productId);
            if (price < 1 || price > MAX_PRICE) {
                throw new IllegalArgumentException("price is " + price + ", must be a whole number of won from 1 to " + MAX_PRICE);
            }
        }



    }

    /** Set a product's stock (0 to {@link #MAX_STOCK}). */
    record ChangeStock(Seller seller, String productId, int stock) implements MarketAction {
        public ChangeStock {
            requireSeller(seller);
            requireId("productId", productId);
            if (stock < 0 || stock > MAX_STOCK) {
                throw new IllegalArgumentException("stock is " + stock + ", must be from 0 to " + MAX_STOCK);
            }
        }



    }

    /** Put a product on sale or take it off sale: {@link ProductStatus#ON_SALE} or {@link ProductStatus#SUSPENDED}. */
    record ChangeSaleStatus(Seller seller, String productId, ProductStatus status) implements MarketAction {
        public ChangeSaleStatus {
            requireSeller(seller);
            requireId("productId", productId);
            if (status != ProductStatus.ON_SALE && status != ProductStatus.SUSPENDED) {
                throw new IllegalArgumentException("status is " + status + ", must be ON_SALE or SUSPENDED");
            }
        }



    }

    /** Accept a claim (approve a cancellation, a return or an exchange). A withdrawn claim is a final refusal. */
    record ConfirmClaim(Seller seller, String claimId) implements MarketAction {
        public ConfirmClaim {
            requireSeller(seller);
            requireId("claimId", claimId);
        }



    }

    /** Refuse a claim, with the reason the buyer is shown. A withdrawn claim is a final refusal. */
    record RejectClaim(Seller seller, String claimId, String reason) implements MarketAction {
        public RejectClaim {
            requireSeller(seller);
            requireId("claimId", claimId);
            requireText("reason", reason);
        }



    }
}
