package io.marketgate.market;

/**
 * What a collection request collects. Each adapter says which kinds its market supports; a request for another
 * kind is rejected before any budget is drawn.
 */
public enum DataKind {
    ORDERS,
    CLAIMS,
    INQUIRIES,
    REVIEWS,
    PRODUCTS
}
