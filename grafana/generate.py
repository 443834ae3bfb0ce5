#!/usr/bin/env python3
"""Writes the Grafana dashboards in grafana/dashboards/ (edit this file, not the JSON, then run it).

    python3 grafana/generate.py           # rewrite the dashboards
    python3 grafana/generate.py --check   # exit 1 if the JSON in the repository differs (CI)
"""
import json
import pathlib
import sys

FOLD = " When a name enters the top HTMLGRAPH_METRICS_TOP_N, its history starts then and 'other' drops by as much."
DS = {"type": "prometheus", "uid": "prometheus"}
I = 'instance=~"$instance"'


def target(expr, legend="", instant=False, ref="A", table=False):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref}
    if instant:
        t["instant"] = True
        t["range"] = False
    if table:
        t["format"] = "table"
    return t


class Board:
    def __init__(self):
        self.panels = []
        self.y = 0
        self.x = 0
        self.row_h = 0
        self.id = 1

    def row(self, title):
        self.newline()
        self.panels.append(
            {
                "type": "row",
                "title": title,
                "id": self.id,
                "collapsed": False,
                "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y},
                "panels": [],
            }
        )
        self.id += 1
        self.y += 1

    def newline(self):
        if self.x:
            self.y += self.row_h
            self.x = 0
            self.row_h = 0

    def add(self, kind, title, targets, w, h, desc, unit=None, extra=None):
        if self.x + w > 24:
            self.newline()
        p = {
            "type": kind,
            "title": title,
            "description": desc,
            "id": self.id,
            "datasource": DS,
            "gridPos": {"h": h, "w": w, "x": self.x, "y": self.y},
            "targets": targets,
            "fieldConfig": {"defaults": {}, "overrides": []},
            "options": {},
        }
        if unit:
            p["fieldConfig"]["defaults"]["unit"] = unit
        if kind == "timeseries":
            p["fieldConfig"]["defaults"]["custom"] = {"fillOpacity": 10, "lineWidth": 1, "showPoints": "never"}
            p["options"] = {
                "legend": {"displayMode": "table", "placement": "right", "showLegend": True},
                "tooltip": {"mode": "multi", "sort": "desc"},
            }
        if kind == "stat":
            p["options"] = {
                "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                "colorMode": "value",
                "graphMode": "area",
                "textMode": "auto",
            }
        if extra:
            for k, v in extra.items():
                p[k] = v
        self.panels.append(p)
        self.id += 1
        self.x += w
        self.row_h = max(self.row_h, h)


def dashboard(uid, title, desc, board, tags):
    return {
        "uid": uid,
        "title": title,
        "description": desc,
        "tags": ["htmlgraph"] + tags,
        "editable": True,
        "graphTooltip": 1,
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-6h", "to": "now"},
        "refresh": "30s",
        "timezone": "browser",
        "templating": {
            "list": [
                {
                    "name": "instance",
                    "label": "Sidecar",
                    "type": "query",
                    "datasource": DS,
                    "query": {"query": "label_values(htmlgraph_build_info, instance)", "refId": "instance"},
                    "definition": "label_values(htmlgraph_build_info, instance)",
                    "includeAll": True,
                    "multi": True,
                    "allValue": ".*",
                    "refresh": 2,
                    "sort": 1,
                    "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
                }
            ]
        },
        "links": [{"title": "htmlgraph dashboards", "type": "dashboards", "tags": ["htmlgraph"], "asDropdown": True}],
        "annotations": {"list": []},
        "panels": board.panels,
    }


def bars(display_mode):
    """A bar gauge's options: horizontal bars of each series' last value."""
    return {
        "options": {
            "orientation": "horizontal",
            "displayMode": display_mode,
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        }
    }


def table_opts():
    return {
        "options": {"showHeader": True, "cellHeight": "sm"},
        "transformations": [
            {"id": "merge", "options": {}},
            {"id": "organize", "options": {"excludeByName": {"Time": True}}},
        ],
    }


def table_panel(board, title, desc, height, columns):
    """A full-width table, one row per label value: columns are (instant query, header, unit or None)."""
    refs = "ABCDEFGHIJ"
    overrides = []
    for ref, (_, header, unit) in zip(refs, columns):
        properties = [{"id": "displayName", "value": header}] + ([{"id": "unit", "value": unit}] if unit else [])
        overrides.append({"matcher": {"id": "byName", "options": f"Value #{ref}"}, "properties": properties})
    targets = [target(expr, "", True, ref, True) for ref, (expr, _, _) in zip(refs, columns)]
    board.add(
        "table",
        title,
        targets,
        24,
        height,
        desc,
        extra=dict(table_opts(), fieldConfig={"defaults": {}, "overrides": overrides}),
    )


# ---------------- fleet ----------------
b = Board()
b.row("Now")
for title, expr, desc in [
    ("Agents known", f"sum(htmlgraph_agents_known{{{I}}})", "The main agent, subagent types and spawner types seen"),
    ("Agents active", f"sum(htmlgraph_agents_active{{{I}}})", "Known agents with an event within HTMLGRAPH_IDLE_AFTER"),
    (
        "Waiting for a human",
        f"sum(htmlgraph_agents_waiting{{{I}}})",
        "Agents of active sessions waiting for permission or input",
    ),
    (
        "Active sessions",
        f'sum(htmlgraph_sessions{{status="active",{I}}})',
        "Sessions with an event within HTMLGRAPH_IDLE_AFTER",
    ),
    (
        "Events stored",
        f"sum(htmlgraph_stored_events{{{I}}})",
        "Every stored event: tool calls, prompts, delegations, starts, ends",
    ),
    (
        "Error share",
        f"sum(htmlgraph_agent_errors{{{I}}}) / clamp_min(sum(htmlgraph_agent_events{{{I}}}), 1)",
        "Events that ended in error / all events",
    ),
]:
    b.add("stat", title, [target(expr)], 4, 4, desc, "percentunit" if "share" in title else None)
b.row("Agents")
table_panel(
    b,
    "Agents",
    "Per agent; agents beyond HTMLGRAPH_METRICS_TOP_N are summed as 'other'.",
    9,
    [
        (f"sum by (agent) (htmlgraph_agent_events{{{I}}})", "Events", None),
        (f"sum by (agent) (htmlgraph_agent_errors{{{I}}})", "Errors", None),
        (f"sum by (agent) (htmlgraph_agent_sessions{{{I}}})", "Sessions", None),
        (f"sum by (agent) (htmlgraph_agent_tokens{{{I}}})", "Tokens", "short"),
        (f"sum by (agent) (htmlgraph_agent_cost_usd{{{I}}})", "Cost", "currencyUSD"),
        (
            f"sum by (agent) (htmlgraph_agent_events{{{I}}}) / scalar(sum(htmlgraph_agent_events{{{I}}}))",
            "Workload",
            "percentunit",
        ),
        (
            f"max by (agent) (htmlgraph_agent_last_active_timestamp_seconds{{{I}}}) * 1000",
            "Last active",
            "dateTimeFromNow",
        ),
    ],
)
b.row("Over time")
b.add(
    "timeseries",
    "Events by type (per 5m)",
    [target(f"sum by (type) (delta(htmlgraph_stored_events{{{I}}}[5m]))", "{{type}}")],
    12,
    8,
    "Events stored in the last 5 minutes, by type",
    "short",
)
b.add(
    "timeseries",
    "Errors by agent (per 5m)",
    [target(f"sum by (agent) (delta(htmlgraph_agent_errors{{{I}}}[5m]))", "{{agent}}")],
    12,
    8,
    "Events that ended in error in the last 5 minutes, by agent." + FOLD,
    "short",
)
b.add(
    "timeseries",
    "Agents waiting for a human",
    [
        target(f"sum(htmlgraph_agents_waiting{{{I}}})", "waiting"),
        target(f"sum(htmlgraph_agents_active{{{I}}})", "active", ref="B"),
    ],
    12,
    8,
    "Agents waiting for permission or input, beside active agents",
    "short",
)
b.add(
    "timeseries",
    "Sessions by state",
    [target(f"sum by (status) (htmlgraph_sessions{{{I}}})", "{{status}}")],
    12,
    8,
    "Sessions active, idle (no event within HTMLGRAPH_IDLE_AFTER) and ended",
    "short",
)
b.add(
    "bargauge",
    "Features by status",
    [target(f"sum by (status) (htmlgraph_features{{{I}}})", "{{status}}", True)],
    24,
    6,
    "Work items on the kanban by status",
    "short",
    extra=bars("basic"),
)
fleet = dashboard(
    "htmlgraph-fleet",
    "htmlgraph / Agent fleet",
    "What the agents are doing: KPIs, agents, events and errors, waiting agents.",
    b,
    ["agents"],
)

# ---------------- tokens & cost ----------------
b = Board()
b.row("Totals")
b.add(
    "stat",
    "Cost",
    [target(f"sum(htmlgraph_model_cost_usd{{{I}}})")],
    6,
    4,
    "Cost reported by the sources, in US dollars",
    "currencyUSD",
)
b.add("stat", "Tokens", [target(f"sum(htmlgraph_model_tokens{{{I}}})")], 6, 4, "All tokens, every type", "short")
b.add(
    "stat",
    "Cache-read ratio",
    [
        target(
            f'sum(htmlgraph_model_tokens{{type="cache_read",{I}}}) / clamp_min(sum(htmlgraph_model_tokens{{type=~"input|cache_read|cache_creation",{I}}}), 1)'
        )
    ],
    6,
    4,
    "Prompt tokens read from the cache / all prompt tokens (input + cache read + cache creation)",
    "percentunit",
)
b.add(
    "stat",
    "Cost in the last hour",
    [target(f"delta(sum(htmlgraph_model_cost_usd{{{I}}})[1h:])")],
    6,
    4,
    "Cost added in the last hour (summed before the difference, so models moving in or out of the top N do not count twice)",
    "currencyUSD",
)
b.row("By model")
b.add(
    "timeseries",
    "Tokens by model and type",
    [target(f"sum by (model, type) (htmlgraph_model_tokens{{{I}}})", "{{model}} {{type}}")],
    12,
    9,
    "Tokens used per model: input, output, cache_read, cache_creation (unspecified: a source gave only a total)",
    "short",
    extra={
        "fieldConfig": {
            "defaults": {
                "unit": "short",
                "custom": {"fillOpacity": 30, "stacking": {"mode": "normal"}, "showPoints": "never"},
            },
            "overrides": [],
        }
    },
)
b.add(
    "timeseries",
    "Cost by model",
    [target(f"sum by (model) (htmlgraph_model_cost_usd{{{I}}})", "{{model}}")],
    12,
    9,
    "Cost per model in US dollars",
    "currencyUSD",
)
b.add(
    "timeseries",
    "Cost by tool",
    [target(f"sum by (tool) (htmlgraph_tool_cost_usd{{{I}}})", "{{tool}}")],
    12,
    9,
    "Each tool call's share of the API request that asked for it, summed per tool, in US dollars (from transcripts:"
    " empty when the sidecar reads none)." + FOLD,
    "currencyUSD",
)
b.add(
    "timeseries",
    "Token spend rate by model (per 5m)",
    [target(f"sum by (model) (delta(htmlgraph_model_tokens{{{I}}}[5m]))", "{{model}}")],
    12,
    8,
    "Tokens added in the last 5 minutes per model." + FOLD,
    "short",
)
b.add(
    "timeseries",
    "Cache-read ratio by model",
    [
        target(
            f'sum by (model) (htmlgraph_model_tokens{{type="cache_read",{I}}}) / clamp_min(sum by (model) (htmlgraph_model_tokens{{type=~"input|cache_read|cache_creation",{I}}}), 1)',
            "{{model}}",
        )
    ],
    12,
    8,
    "Prompt tokens read from the cache / all prompt tokens, per model",
    "percentunit",
)
b.row("By agent")
b.add(
    "bargauge",
    "Tokens by agent",
    [target(f"sum by (agent) (htmlgraph_agent_tokens{{{I}}})", "{{agent}}", True)],
    12,
    8,
    "Tokens used per agent (top HTMLGRAPH_METRICS_TOP_N, the rest as 'other')",
    "short",
    extra=bars("gradient"),
)
b.add(
    "bargauge",
    "Cost by agent",
    [target(f"sum by (agent) (htmlgraph_agent_cost_usd{{{I}}})", "{{agent}}", True)],
    12,
    8,
    "Cost per agent in US dollars",
    "currencyUSD",
    extra=bars("gradient"),
)
b.add(
    "timeseries",
    "Tokens by agent and type",
    [target(f"sum by (agent, type) (htmlgraph_agent_tokens{{{I}}})", "{{agent}} {{type}}")],
    24,
    8,
    "Tokens per agent by type",
    "short",
)
tokens = dashboard(
    "htmlgraph-tokens-cost",
    "htmlgraph / Tokens and cost",
    "Tokens by model, type and agent; cost; cache-read ratio.",
    b,
    ["cost"],
)

# ---------------- spawners ----------------
b = Board()
b.row("Totals")
b.add(
    "stat",
    "Delegations",
    [target(f"sum(htmlgraph_spawner_delegations{{{I}}})")],
    6,
    4,
    "Runs delegated to headless spawners",
    "short",
)
b.add(
    "stat",
    "Success ratio",
    [target(f"sum(htmlgraph_spawner_successes{{{I}}}) / clamp_min(sum(htmlgraph_spawner_delegations{{{I}}}), 1)")],
    6,
    4,
    "Succeeded runs / all runs",
    "percentunit",
)
b.add(
    "stat",
    "Spawner tokens",
    [target(f"sum(htmlgraph_spawner_tokens{{{I}}})")],
    6,
    4,
    "Tokens the spawner runs reported",
    "short",
)
b.add(
    "stat",
    "Spawner cost",
    [target(f"sum(htmlgraph_spawner_cost_usd{{{I}}})")],
    6,
    4,
    "Cost the spawner runs reported",
    "currencyUSD",
)
b.row("By spawner type")
table_panel(
    b,
    "Spawner types",
    "Per spawner type: runs, successes, success ratio, average duration of finished runs, tokens, cost.",
    8,
    [
        (f"sum by (spawner_type) (htmlgraph_spawner_delegations{{{I}}})", "Runs", None),
        (f"sum by (spawner_type) (htmlgraph_spawner_successes{{{I}}})", "Succeeded", None),
        (
            f"sum by (spawner_type) (htmlgraph_spawner_successes{{{I}}})"
            f" / sum by (spawner_type) (htmlgraph_spawner_delegations{{{I}}})",
            "Success",
            "percentunit",
        ),
        (f"max by (spawner_type) (htmlgraph_spawner_average_duration_seconds{{{I}}})", "Avg duration", "s"),
        (f"sum by (spawner_type) (htmlgraph_spawner_tokens{{{I}}})", "Tokens", None),
        (f"sum by (spawner_type) (htmlgraph_spawner_cost_usd{{{I}}})", "Cost", "currencyUSD"),
    ],
)
b.add(
    "timeseries",
    "Delegations by spawner type (per 15m)",
    [target(f"sum by (spawner_type) (delta(htmlgraph_spawner_delegations{{{I}}}[15m]))", "{{spawner_type}}")],
    12,
    8,
    "Runs started in the last 15 minutes." + FOLD,
    "short",
)
b.add(
    "timeseries",
    "Success ratio by spawner type",
    [
        target(
            f"sum by (spawner_type) (htmlgraph_spawner_successes{{{I}}}) / sum by (spawner_type) (htmlgraph_spawner_delegations{{{I}}})",
            "{{spawner_type}}",
        )
    ],
    12,
    8,
    "Succeeded runs / all runs",
    "percentunit",
)
b.add(
    "timeseries",
    "Average run duration",
    [target(f"max by (spawner_type) (htmlgraph_spawner_average_duration_seconds{{{I}}})", "{{spawner_type}}")],
    12,
    8,
    "Average duration of finished runs (with several sidecars selected: the largest of their averages)",
    "s",
)
b.add(
    "timeseries",
    "Cost by spawner type",
    [target(f"sum by (spawner_type) (htmlgraph_spawner_cost_usd{{{I}}})", "{{spawner_type}}")],
    12,
    8,
    "Cost the runs reported, US dollars",
    "currencyUSD",
)
spawners = dashboard(
    "htmlgraph-spawners",
    "htmlgraph / Spawners",
    "Headless spawner runs (gemini, codex, copilot, claude …).",
    b,
    ["spawners"],
)

# ---------------- sidecar health ----------------
b = Board()
b.row("Now")
b.add(
    "stat",
    "Sidecars reporting",
    [target(f"count(htmlgraph_build_info{{{I}}})")],
    4,
    4,
    "Sidecars whose metrics Prometheus has now",
    "short",
)
b.add(
    "stat",
    "Ingest rate",
    [target(f"sum(rate(htmlgraph_ingest_events_total{{{I}}}[$__rate_interval]))")],
    4,
    4,
    "Events (payloads) accepted per second",
    "cps",
)
b.add(
    "stat",
    "Ingest p99",
    [
        target(
            f"histogram_quantile(0.99, sum by (le) (rate(htmlgraph_ingest_request_duration_seconds_bucket{{{I}}}[$__rate_interval])))"
        )
    ],
    4,
    4,
    "99th percentile time to answer an ingest request (target: 5 ms)",
    "s",
)
b.add(
    "stat",
    "WebSocket clients",
    [target(f"sum(htmlgraph_websocket_clients{{{I}}})")],
    4,
    4,
    "Connected /ws/events clients",
    "short",
)
b.add(
    "stat",
    "Database size",
    [target(f"sum(htmlgraph_database_size_bytes{{{I}}})")],
    4,
    4,
    "SQLite file and write-ahead log",
    "bytes",
)
b.add(
    "stat",
    "Refresh failures (1h)",
    [target(f"sum(increase(htmlgraph_metrics_refresh_failures_total{{{I}}}[1h]))")],
    4,
    4,
    "Failed refreshes of the database-derived metrics in the last hour (see the sidecar's log)",
    "short",
)
b.row("Ingest")
b.add(
    "timeseries",
    "Events ingested by source",
    [target(f"sum by (source) (rate(htmlgraph_ingest_events_total{{{I}}}[$__rate_interval]))", "{{source}}")],
    8,
    8,
    "Events (payloads) accepted per second by endpoint (hooks: /api/hooks, envelopes: /events, spawner: /api/spawner-events)",
    "cps",
)
b.add(
    "timeseries",
    "Rejected requests by reason",
    [
        target(
            f"sum by (source, reason) (rate(htmlgraph_ingest_rejected_total{{{I}}}[$__rate_interval]))",
            "{{source}} {{reason}}",
        )
    ],
    8,
    8,
    "Ingest requests refused per second, by error code (nothing of them was stored)",
    "reqps",
)
b.add(
    "timeseries",
    "Ingest latency",
    [
        target(
            f"histogram_quantile(0.5, sum by (le) (rate(htmlgraph_ingest_request_duration_seconds_bucket{{{I}}}[$__rate_interval])))",
            "p50",
        ),
        target(
            f"histogram_quantile(0.99, sum by (le) (rate(htmlgraph_ingest_request_duration_seconds_bucket{{{I}}}[$__rate_interval])))",
            "p99",
            ref="B",
        ),
        target(f"max(htmlgraph_ingest_request_duration_seconds_max{{{I}}})", "max", ref="C"),
    ],
    8,
    8,
    "Time to answer an ingest request",
    "s",
)
b.row("HTTP (Helidon server metrics)")
H = "http_server_request_duration_seconds"
b.add(
    "timeseries",
    "Requests by route",
    [target(f"sum by (method, route) (rate({H}_count{{{I}}}[$__rate_interval]))", "{{method}} {{route}}")],
    8,
    8,
    "Requests answered per second on the main socket, by route template and method",
    "reqps",
)
b.add(
    "timeseries",
    "Error ratio by route",
    [
        target(
            f'(sum by (route) (rate({H}_count{{status=~"4xx|5xx",{I}}}[$__rate_interval])) or sum by (route) (rate({H}_count{{{I}}}[$__rate_interval])) * 0) / clamp_min(sum by (route) (rate({H}_count{{{I}}}[$__rate_interval])), 1e-9)',
            "{{route}}",
        )
    ],
    8,
    8,
    "Share of answers that were 4xx or 5xx, by route template (4xx: the client sent something refused)",
    "percentunit",
)
b.add(
    "timeseries",
    "p99 latency by route",
    [
        target(
            f"histogram_quantile(0.99, sum by (le, route) (rate({H}_bucket{{{I}}}[$__rate_interval])))",
            "{{route}}",
        )
    ],
    8,
    8,
    "99th percentile time to answer, by route template (target for reads: 22 ms)",
    "s",
)
b.row("Readers")
b.add(
    "timeseries",
    "WebSocket clients and drops",
    [
        target(f"sum(htmlgraph_websocket_clients{{{I}}})", "clients"),
        target(
            f"sum(increase(htmlgraph_websocket_dropped_clients_total{{{I}}}[$__rate_interval]))",
            "dropped clients",
            ref="B",
        ),
        target(
            f"sum(increase(htmlgraph_websocket_dropped_messages_total{{{I}}}[$__rate_interval]))",
            "undelivered messages",
            ref="C",
        ),
    ],
    8,
    8,
    "Connected clients; clients dropped for falling HTMLGRAPH_WS_QUEUE messages behind, and the messages they never got",
    "short",
)
b.add(
    "timeseries",
    "Query cache",
    [
        target(f"avg(htmlgraph_query_cache_hit_ratio{{{I}}})", "hit ratio"),
        target(
            f"sum(rate(htmlgraph_query_cache_hits_total{{{I}}}[$__rate_interval])) / clamp_min(sum(rate(htmlgraph_query_cache_hits_total{{{I}}}[$__rate_interval])) + sum(rate(htmlgraph_query_cache_misses_total{{{I}}}[$__rate_interval])), 1e-9)",
            "hit ratio (recent)",
            ref="B",
        ),
    ],
    8,
    8,
    "Read-API answers served from the cache",
    "percentunit",
)
b.add(
    "timeseries",
    "Query cache entries",
    [target(f"sum(htmlgraph_query_cache_entries{{{I}}})", "entries")],
    8,
    8,
    "Answers held by the cache",
    "short",
)
b.row("Import of an htmlgraph file")
b.add(
    "timeseries",
    "Rows read from the htmlgraph file, and failed passes",
    [
        target(f"sum by (table) (rate(htmlgraph_import_rows_read_total{{{I}}}[$__rate_interval]))", "{{table}}"),
        target(
            f'sum(increase(htmlgraph_import_passes_total{{outcome="failed",{I}}}[$__rate_interval]))',
            "failed passes",
            ref="B",
        ),
    ],
    24,
    8,
    "Rows per second the background import (HTMLGRAPH_IMPORT_DB) reads and stores, by source table, and passes over the"
    " file that failed (a missing or broken file; see the sidecar's log). Zero where no file is imported",
    "short",
)
b.row("Load: connections and reads")
b.add(
    "timeseries",
    "Main-socket connections",
    [
        target(f"sum(htmlgraph_connections_open{{{I}}})", "open"),
        target(
            f"sum(increase(htmlgraph_connections_refused_total{{{I}}}[$__rate_interval]))",
            "refused (503)",
            ref="B",
        ),
        target(
            f"sum by (reason) (increase(htmlgraph_connections_closed_total{{{I}}}[$__rate_interval]))",
            "closed: {{reason}}",
            ref="C",
        ),
    ],
    12,
    8,
    "Connections open on the main socket; refused at HTMLGRAPH_MAX_CONNECTIONS, and closed by the guard to make room"
    " (evicted), for a request head that did not finish in time (head_timeout), for a body left silent"
    " (body_timeout) or trickled in under 16 KB/s (body_too_slow)",
    "short",
)
b.add(
    "timeseries",
    "Uncached reads waiting and refused",
    [
        target(f"sum(htmlgraph_reads_waiting{{{I}}})", "waiting"),
        target(
            f"sum(increase(htmlgraph_reads_refused_total{{{I}}}[$__rate_interval]))",
            "refused (503 store_busy)",
            ref="B",
        ),
    ],
    12,
    8,
    "Reads queued for a reader thread (HTMLGRAPH_READ_THREADS), and those refused because HTMLGRAPH_READ_QUEUE"
    " were already waiting",
    "short",
)
b.row("Collector and process")
b.add(
    "timeseries",
    "Metrics refresh and scrape time",
    [
        target(f"max(htmlgraph_metrics_refresh_duration_seconds{{{I}}})", "refresh"),
        target(f"max(scrape_duration_seconds{{{I}}} and on (instance) htmlgraph_build_info)", "scrape", ref="B"),
    ],
    8,
    8,
    "Time to refresh the database-derived metrics, and Prometheus' scrape time of /metrics (target: 20 ms)",
    "s",
)
b.add(
    "timeseries",
    "Heap and memory",
    [
        target(f"sum by (area) (jvm_memory_used_bytes{{{I}}})", "{{area}} used"),
        target(f'sum(jvm_memory_max_bytes{{area="heap",{I}}} > 0)', "heap max", ref="B"),
    ],
    8,
    8,
    "JVM memory in use",
    "bytes",
)
b.add(
    "timeseries",
    "Process CPU",
    [target(f"avg(process_cpu_usage{{{I}}})", "process")],
    8,
    8,
    "Share of the machine's CPU the sidecar uses",
    "percentunit",
)
health = dashboard(
    "htmlgraph-sidecar-health",
    "htmlgraph / Sidecar health",
    "Ingest, rejections, latency, HTTP requests per route, WebSocket, cache, the import of an htmlgraph file, connections and read queue, collector and process.",
    b,
    ["health"],
)

OUT = pathlib.Path(__file__).parent / "dashboards"
stale = []
for name, d in [("fleet", fleet), ("tokens-cost", tokens), ("spawners", spawners), ("sidecar-health", health)]:
    path = OUT / f"htmlgraph-{name}.json"
    text = json.dumps(d, indent=2) + "\n"
    if "--check" in sys.argv:
        if not path.exists() or path.read_text() != text:
            stale.append(str(path))
    else:
        path.write_text(text)
if stale:
    sys.exit("not what grafana/generate.py writes (run it): " + ", ".join(stale))
