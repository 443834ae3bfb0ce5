package io.htmlgraph.sidecar.domain;

/**
 * One data point of {@code claude_code.token.usage} or {@code claude_code.cost.usage}.
 *
 * @param series      the point's metric and attributes, as one stable text (its identity)
 * @param temporality {@code delta} or {@code cumulative}
 */
public record MetricPoint(String series, long startUnixNano, long timeUnixNano, String metric, String temporality,
                          String sessionId, String model, String type, double value) implements UsageItem {
}
