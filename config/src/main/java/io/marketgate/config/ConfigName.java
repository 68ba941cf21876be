package io.marketgate.config;

/** A fixed value an environment file spells in lower-case words ({@code local-fallback}, {@code api-key}). */
public interface ConfigName {

    /** The spelling in the file. */
    String configName();
}
