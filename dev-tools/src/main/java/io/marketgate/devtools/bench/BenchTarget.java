package io.marketgate.devtools.bench;

/**
 * One rate-limiter implementation under measurement. The runner calls {@link #setUp} once, then {@link #decide}
 * from many threads at once, then {@link #close} once.
 */
interface BenchTarget extends AutoCloseable {

    /** The short name in the table, for example {@code bucket4j}. */
    String name();

    /** What is measured and over which Redis connections, for the output's setup section. */
    String description();

    /** Connects to the Redis server at {@code uri} and prepares one budget, starting empty. */
    void setUp(String uri) throws Exception;

    /** Takes one decision on the budget; {@code true} for a grant. Thread-safe; throws on any failure. */
    boolean decide();

    /**
     * {@link #decide()} by caller number {@code caller} (0 to the caller count − 1, the same thread throughout a
     * slice): a target that models separate processes gives each caller its own client.
     */
    default boolean decide(int caller) {
        return decide();
    }

    /** Releases connections and threads; safe to call after a failed {@link #setUp}. */
    @Override
    void close();
}
