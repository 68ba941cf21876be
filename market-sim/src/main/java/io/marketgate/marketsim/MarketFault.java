package io.marketgate.marketsim;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault a market shows for a window of its clock's time ({@link FaultSchedule#during}). Each is what a real market's
 * bad day looks like from outside; the gate applies it where that market would:
 *
 * <ul>
 *   <li>before the budgets, charging none: {@link CredentialRevoked} (401 for every authenticated call),
 *       {@link IpRejected} (the protocol's own 403), {@link PenaltyBlock} (the protocol's penalty answer until the
 *       window ends), {@link Storm429} (the protocol's throttling answer for a share of calls);</li>
 *   <li>after the budgets, so the call has used its budget as a real 5xx does: {@link ServerErrors}, {@link Timeouts}
 *       (answered after a delay longer than any client waits), {@link Hang} (accepted and held until the window ends,
 *       then a 503), {@link Malformed} (a 200 whose body is cut off mid-JSON).</li>
 * </ul>
 *
 * <pre>{@code
 * Instant now = Instant.now();
 * sim.market("coupang").faults().during(now, now.plusSeconds(30), new MarketFault.Storm429(1.0, Duration.ofSeconds(2)));
 * }</pre>
 */
public sealed interface MarketFault {

    /** A short name for reports: {@code serverErrors}, {@code storm429}, … (the scenario format's {@code type}). */
    String type();

    /** {@code rate} (0–1) of admitted calls answered {@code status} (5xx). */
    record ServerErrors(double rate, int status) implements MarketFault {
        public ServerErrors {
            checkRate(rate);
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("serverErrors: status is " + status + ", must be 5xx");
            }
        }

        @Override
        public String type() {
            return "serverErrors";
        }
    }

    /** {@code rate} (0–1) of admitted calls answered only after {@code delay} (a client with a shorter timeout times out). */
    record Timeouts(double rate, Duration delay) implements MarketFault {
        public Timeouts {
            checkRate(rate);
            positive(delay, "timeouts: delay");
        }

        @Override
        public String type() {
            return "timeouts";
        }
    }

    /** Every admitted call is accepted and held, unanswered, until the window ends; then it is answered 503. */
    record Hang() implements MarketFault {
        @Override
        public String type() {
            return "hang";
        }
    }

    /** {@code rate} (0–1) of calls refused as over a limit, with {@code retryAfter}, whatever the budgets hold. */
    record Storm429(double rate, Duration retryAfter) implements MarketFault {
        public Storm429 {
            checkRate(rate);
            positive(retryAfter, "storm429: retryAfter");
        }

        @Override
        public String type() {
            return "storm429";
        }
    }

    /** Every call is refused with the market's penalty answer, its wait the rest of the window. */
    record PenaltyBlock() implements MarketFault {
        @Override
        public String type() {
            return "penaltyBlock";
        }
    }

    /** The market stops allowing the caller's address: every call is refused with its IP answer (403). */
    record IpRejected() implements MarketFault {
        @Override
        public String type() {
            return "ipRejected";
        }
    }

    /** {@code rate} (0–1) of admitted calls answered 200 with a JSON body cut off in the middle. */
    record Malformed(double rate) implements MarketFault {
        public Malformed {
            checkRate(rate);
        }

        @Override
        public String type() {
            return "malformed";
        }
    }

    /** The sellers' credential is no longer valid (expired or revoked): every authenticated call is answered 401. */
    record CredentialRevoked() implements MarketFault {
        @Override
        public String type() {
            return "credentialRevoked";
        }
    }

    private static void checkRate(double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate is " + rate + ", must be in (0, 1]");
        }
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be > 0, was " + d);
        }
    }
}
