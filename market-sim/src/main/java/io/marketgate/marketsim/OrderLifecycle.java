package io.marketgate.marketsim;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How the simulated market's orders move over the market's clock. {@link #NONE} (the default): each order keeps the
 * status it was generated with, drawn from the protocol's fixed mix. {@link #stages}: each order starts paid at its
 * payment time and passes the protocol's stages, each lasting between {@code minStage} and {@code maxStage} (drawn per
 * order and stage), until its final one; {@code cancelledPercent} of the orders are cancelled at the end of their
 * first stage instead (not on Coupang, whose cancellations are claims, not a sheet status). Everything is derived from
 * the seed and the order id, so every call and every instance sees the same order in the same state at the same time.
 *
 * <table>
 *   <caption>The stages per protocol (market-protocols.md: each market's documented codes)</caption>
 *   <tr><th>protocol</th><th>stages</th><th>cancelled</th></tr>
 *   <tr><td>COUPANG</td><td>ACCEPT, INSTRUCT, DEPARTURE, DELIVERING, FINAL_DELIVERY</td><td>—</td></tr>
 *   <tr><td>NAVER</td><td>PAYED, DELIVERING, DELIVERED, PURCHASE_DECIDED</td><td>CANCELED</td></tr>
 *   <tr><td>ELEVENST</td><td>202, 301, 401, 501, 901</td><td>B01</td></tr>
 *   <tr><td>CAFE24</td><td>N10, N20, N30, N40, N50</td><td>C40</td></tr>
 *   <tr><td>REFERENCE</td><td>ACCEPT, INSTRUCT, DEPARTURE, DELIVERING, FINAL_DELIVERY</td><td>CANCELLED</td></tr>
 * </table>
 *
 * <pre>{@code
 * MarketPresets.coupangWing().orderLifecycle(OrderLifecycle.stages(Duration.ofSeconds(2), Duration.ofSeconds(5), 0))
 * }</pre>
 */
public record OrderLifecycle(Duration minStage, Duration maxStage, int cancelledPercent) {

    /** Orders keep the status they were generated with. */
    public static final OrderLifecycle NONE = new OrderLifecycle(Duration.ZERO, Duration.ZERO, 0);

    public OrderLifecycle {
        Objects.requireNonNull(minStage, "minStage");
        Objects.requireNonNull(maxStage, "maxStage");
        if (minStage.isNegative() || maxStage.compareTo(minStage) < 0) {
            throw new IllegalArgumentException("order lifecycle: minStage " + minStage + " must be ≥ 0 and ≤ maxStage " + maxStage);
        }
        if (cancelledPercent < 0 || cancelledPercent > 100) {
            throw new IllegalArgumentException("order lifecycle: cancelledPercent is " + cancelledPercent + ", must be 0 to 100");
        }
    }

    /**
     * Orders pass their protocol's stages, each lasting {@code minStage} to {@code maxStage}.
     *
     * @throws IllegalArgumentException naming the setting: a stage not positive, max below min, a percentage outside 0..100
     */
    public static OrderLifecycle stages(Duration minStage, Duration maxStage, int cancelledPercent) {
        if (minStage == null || minStage.isZero() || minStage.isNegative()) {
            throw new IllegalArgumentException("order lifecycle: minStage is " + minStage + ", must be > 0");
        }
        return new OrderLifecycle(minStage, maxStage, cancelledPercent);
    }

    /** Whether orders move at all. */
    public boolean moves() {
        return !maxStage.isZero();
    }

    /** The stages of {@code protocol}, in order. */
    public static List<String> stagesOf(Protocol protocol) {
        return switch (protocol) {
            case COUPANG, REFERENCE -> List.of("ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY");
            case NAVER -> List.of("PAYED", "DELIVERING", "DELIVERED", "PURCHASE_DECIDED");
            case ELEVENST -> List.of("202", "301", "401", "501", "901");
            case CAFE24 -> List.of("N10", "N20", "N30", "N40", "N50");
        };
    }

    /** The status a cancelled order of {@code protocol} ends in; null where the order sheet has none (Coupang). */
    public static String cancelledOf(Protocol protocol) {
        return switch (protocol) {
            case COUPANG -> null;
            case REFERENCE -> "CANCELLED";
            case NAVER -> "CANCELED";
            case ELEVENST -> "B01";
            case CAFE24 -> "C40";
        };
    }

    /**
     * The status at {@code nowMillis} of the order {@code orderId} paid at {@code paidAtMillis}.
     *
     * @param seed the market's seed, so that another seed moves the same ids otherwise
     */
    public String statusAt(Protocol protocol, long seed, String orderId, long paidAtMillis, long nowMillis) {
        List<String> stages = stagesOf(protocol);
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ orderId.hashCode() * 0xC2B2AE3D27D4EB4FL
                ^ orderId.length());
        String cancelled = cancelledOf(protocol);
        boolean cancels = cancelled != null && random.nextInt(100) < cancelledPercent;
        long at = paidAtMillis;
        long min = minStage.toMillis();
        long span = maxStage.toMillis() - min;
        for (int i = 0; i < stages.size() - 1; i++) {
            at += min + (span == 0 ? 0 : random.nextLong(span + 1));
            if (nowMillis < at) {
                return stages.get(i);
            }
            if (cancels) {
                return cancelled;
            }
        }
        return stages.get(stages.size() - 1);
    }
}
