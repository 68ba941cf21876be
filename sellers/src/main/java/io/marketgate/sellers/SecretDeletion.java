package io.marketgate.sellers;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a removed seller's secret is deleted. In a deployed environment {@link #recoveryWindow(Duration) with a recovery
 * window} ({@link #DEFAULT}: 7 days, Secrets Manager's shortest): an operator who removed the wrong seller restores the
 * secret with {@code aws secretsmanager restore-secret} and registers the row again; registering the seller anew restores
 * it too. Locally {@link #immediately()}: the local platform's secrets live as long as it runs.
 *
 * <pre>{@code
 * SecretDeletion deployed = SecretDeletion.DEFAULT;           // RecoveryWindowInDays 7
 * SecretDeletion local = SecretDeletion.immediately();        // ForceDeleteWithoutRecovery
 * }</pre>
 *
 * @param recoveryWindow the days Secrets Manager keeps the secret restorable, 7 to 30; empty: deleted at once
 */
public record SecretDeletion(Optional<Duration> recoveryWindow) {

    /** The shortest window Secrets Manager allows. */
    public static final Duration MIN_WINDOW = Duration.ofDays(7);
    /** The longest window Secrets Manager allows. */
    public static final Duration MAX_WINDOW = Duration.ofDays(30);
    /** What a deployment uses: a recovery window of 7 days. */
    public static final SecretDeletion DEFAULT = new SecretDeletion(Optional.of(MIN_WINDOW));

    public SecretDeletion {
        Objects.requireNonNull(recoveryWindow, "recoveryWindow");
        recoveryWindow.ifPresent(w -> {
            if (w.toDays() * 86_400 != w.getSeconds() || w.compareTo(MIN_WINDOW) < 0 || w.compareTo(MAX_WINDOW) > 0) {
                throw new IllegalArgumentException("recoveryWindow is " + w + ", must be whole days from 7 to 30 (Secrets Manager's rule)");
            }
        });
    }

    /** With a recovery window of {@code window}: whole days, 7 to 30. */
    public static SecretDeletion recoveryWindow(Duration window) {
        return new SecretDeletion(Optional.of(Objects.requireNonNull(window, "window")));
    }

    /** Deleted at once, without recovery (ForceDeleteWithoutRecovery). */
    public static SecretDeletion immediately() {
        return new SecretDeletion(Optional.empty());
    }
}
