package io.marketgate.marketsim;

/** How a market pages its order list. */
public enum Pagination {
    /** An opaque {@code cursor} parameter; the response's {@code nextCursor} is null on the last page (Coupang nextToken, Naver moreSequence). */
    CURSOR,
    /** A 1-based {@code page} parameter; the response carries {@code page} and {@code hasNext} and a null {@code nextCursor}. */
    PAGE
}
