package io.marketgate.config.internal;

/** Whether a key must be given. A key given as {@code null} (or left empty) counts as absent. */
enum Presence {
    REQUIRED,
    OPTIONAL
}
