package io.marketgate.config;

/** The market protocols an environment file may name under {@code markets.<market>.adapter.type}. */
public enum AdapterType implements ConfigName {
    /** The project's reference REST protocol, see {@link ReferenceRestConfig}. */
    REFERENCE_REST("reference-rest");

    private final String configName;

    AdapterType(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
