package io.marketgate.limiter.valkey;

import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@link Decision.Reason#CEILING_REACHED} denial that the store gave this instance for one combination of
 * budgets, per priority, so that the same call repeated before its retry-after is denied without a round trip.
 *
 * <p>Why it is safe: a full ceiling opens only when the store's oldest entries leave the window, which is exactly
 * what the retry-after measures; grants elsewhere in the fleet only fill the window further. So until the retry-after
 * has passed, the store would deny the same call again (and a call of no smaller cost) unless the effective limit
 * rose in the meantime: an operator's override or resume through another instance, an override that expires, or a
 * throttle recovery step. The memory lasts at most {@link ValkeyStoreOptions#denialMemory()} to bound that, and this
 * instance's own control operations forget it at once. It only ever denies: it can leave room unused for that long,
 * never admit a call the store would refuse. Pauses and cool-downs are not remembered.
 *
 * <p>The retry-after repeated from memory counts from when this instance received the store's answer, so it is later
 * than the store's by at most the reply's latency: a caller that waits it is never early.
 */
final class DenialMemory {

    private record Memo(int cost, long receivedNanos, long validUntilNanos, Decision decision) {}

    private final AtomicReferenceArray<Memo> byPriority = new AtomicReferenceArray<>(Priority.values().length);

    /** The remembered denial of {@code priority} for {@code cost} at {@code nowNanos}, or null when the store must decide. */
    Decision recall(Priority priority, int cost, long nowNanos) {
        Memo memo = byPriority.get(priority.ordinal());
        if (memo == null || cost < memo.cost || nowNanos - memo.validUntilNanos >= 0) {
            return null;
        }
        Decision d = memo.decision;
        // whole µs, as the store counts: store time + retry-after still names the same instant as the store's answer,
        // and the retry-after is never shorter than what is really left
        long elapsedMicros = (nowNanos - memo.receivedNanos) / 1_000L;
        Duration retryAfter = d.retryAfter().minusNanos(elapsedMicros * 1_000L);
        return Decision.denied(d.reason(), retryAfter, d.blockingBudget(), d.remaining(),
                d.storeTimeMicros() + elapsedMicros, Decision.DecidedBy.REMEMBERED);
    }

    /** Remembers {@code decision} when it is a ceiling denial, for at most {@code maxNanos} from {@code receivedNanos}. */
    void remember(Priority priority, int cost, Decision decision, long receivedNanos, long maxNanos) {
        if (decision.reason() != Decision.Reason.CEILING_REACHED) {
            return;
        }
        long retryNanos = decision.retryAfter().toNanos();
        byPriority.set(priority.ordinal(), new Memo(cost, receivedNanos, receivedNanos + Math.min(retryNanos, maxNanos), decision));
    }

    /** Forgets every remembered denial (after a control operation on one of the budgets). */
    void forget() {
        for (int i = 0; i < byPriority.length(); i++) {
            byPriority.set(i, null);
        }
    }
}
