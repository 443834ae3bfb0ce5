package io.htmlgraph.sidecar.ingest;

import java.util.ArrayList;
import java.util.List;

import io.htmlgraph.sidecar.domain.UsageItem;

/**
 * What one OTLP request yields: the items to store, how many records were rejected (the OTLP partial success),
 * and why the first one was.
 */
final class OtlpBatch {
    final List<UsageItem> items = new ArrayList<>();
    long rejected;
    String firstError;

    void reject(String why) {
        rejected++;
        if (firstError == null) {
            firstError = why;
        }
    }
}
