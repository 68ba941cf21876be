package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The order of a snapshot's hooks, and what happens when a step fails; parts that record what is done to them. */
class SnapshotLifecycleTest {

    private final List<String> events = new ArrayList<>();
    private final AtomicInteger built = new AtomicInteger();

    private final class Parts implements AutoCloseable {
        final int generation = built.incrementAndGet();
        boolean failClose;

        @Override
        public void close() {
            events.add("close " + generation);
            if (failClose) {
                throw new IllegalStateException("cannot close");
            }
        }
    }

    private SnapshotLifecycle<Parts> lifecycle(Supplier<Parts> build, SnapshotLifecycle.Priming<Parts> prime) {
        return SnapshotLifecycle.of("test", build, prime, p -> events.add("connect " + p.generation));
    }

    @Test
    void given_built_parts_when_checkpointed_and_restored_then_they_are_primed_closed_dropped_and_made_anew() throws Exception {
        SnapshotLifecycle<Parts> lifecycle = lifecycle(Parts::new, p -> events.add("prime " + p.generation));
        Parts first = lifecycle.get();

        lifecycle.beforeCheckpoint(null);
        assertThat(lifecycle.holdsParts()).isFalse();
        lifecycle.afterRestore(null);

        assertThat(events).containsExactly("prime 1", "close 1", "connect 2");
        assertThat(lifecycle.get()).isNotSameAs(first);
        assertThat(lifecycle.get().generation).isEqualTo(2);
    }

    @Test
    void given_a_priming_step_that_fails_when_checkpointed_then_the_parts_are_still_closed_and_dropped() throws Exception {
        SnapshotLifecycle<Parts> lifecycle = lifecycle(Parts::new, p -> {
            throw new IllegalStateException("DynamoDB unreachable");
        });
        lifecycle.get();

        lifecycle.beforeCheckpoint(null);

        assertThat(events).containsExactly("close 1");
        assertThat(lifecycle.holdsParts()).isFalse();
    }

    @Test
    void given_parts_that_cannot_close_when_checkpointed_then_the_checkpoint_fails_and_holds_no_parts() {
        SnapshotLifecycle<Parts> lifecycle = lifecycle(Parts::new, p -> { });
        lifecycle.get().failClose = true;

        assertThatThrownBy(() -> lifecycle.beforeCheckpoint(null)).hasMessage("cannot close");
        assertThat(lifecycle.holdsParts()).isFalse();
    }

    @Test
    void given_a_rebuild_that_fails_after_the_restore_then_the_first_invocation_builds_the_parts() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        SnapshotLifecycle<Parts> lifecycle = lifecycle(() -> {
            if (attempts.incrementAndGet() == 2) {
                throw new IllegalStateException("Secrets Manager unreachable");
            }
            return new Parts();
        }, p -> { });
        lifecycle.get();
        lifecycle.beforeCheckpoint(null);

        lifecycle.afterRestore(null);
        assertThat(lifecycle.holdsParts()).isFalse();

        assertThat(lifecycle.get().generation).isEqualTo(2);
        assertThat(attempts).hasValue(3);
    }
}
