package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Instant;
import java.util.function.Consumer;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** Powertools metrics that write nothing and remember every single-metric flush as {@code name{dimensions}=value}. */
final class RecordingMetrics implements Metrics {
    final java.util.List<String> flushed = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override public void addMetric(String key, double value, MetricUnit unit, MetricResolution resolution) {}
    @Override public void addDimension(DimensionSet dimensionSet) {}
    @Override public void setTimestamp(Instant timestamp) {}
    @Override public void addMetadata(String key, Object value) {}
    @Override public void setDefaultDimensions(DimensionSet dimensionSet) {}
    @Override public DimensionSet getDefaultDimensions() {
        return new DimensionSet();
    }
    @Override public void setNamespace(String namespace) {}
    @Override public void setRaiseOnEmptyMetrics(boolean raiseOnEmptyMetrics) {}
    @Override public void clearDefaultDimensions() {}
    @Override public void flush() {}
    @Override public void captureColdStartMetric(Context context, DimensionSet dimensions) {}
    @Override public void captureColdStartMetric(DimensionSet dimensions) {}
    @Override public void flushMetrics(Consumer<Metrics> metrics) {}
    @Override public void flushSingleMetric(String name, double value, MetricUnit unit, String namespace, DimensionSet dimensions) {
        flushed.add(name + new java.util.TreeMap<>(dimensions.getDimensions()) + "=" + value);
    }
}
