package io.htmlgraph.sidecar.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.SessionStatus;
import io.htmlgraph.sidecar.domain.Vocabulary;
import io.htmlgraph.sidecar.query.ReportQueries;
import io.htmlgraph.sidecar.query.Reports;
import io.htmlgraph.sidecar.query.EventQueries;

/**
 * htmlgraph's event and session routes (same paths, parameters and field names) and the session drill-down.
 * Answers come from the query cache: a write invalidates the answers about its session and the store-wide ones.
 * <pre>
 * curl 'http://127.0.0.1:8080/api/events?limit=20&amp;session_id=...'
 * curl  http://127.0.0.1:8080/api/initial-stats
 * curl 'http://127.0.0.1:8080/api/sessions?status=active'
 * curl 'http://127.0.0.1:8080/api/sessions?limit=50&amp;cursor=2026-11-30T12:00:00.000Z,SESSION_ID'
 * curl  http://127.0.0.1:8080/api/sessions/SESSION_ID
 * curl 'http://127.0.0.1:8080/api/export?session_id=SESSION_ID&amp;format=ndjson'
 * </pre>
 */
final class ApiService implements HttpService {
    /** An export's page ends after this many events, or once it holds {@link #EXPORT_PAGE_BYTES}. */
    private static final int EXPORT_PAGE_EVENTS = 200;
    private static final int EXPORT_PAGE_BYTES = 32 * 1024;
    static final int MAX_EVENTS = 1000;
    static final int MAX_SESSIONS = 500;
    private static final MediaType NDJSON = MediaTypes.create("application/x-ndjson");

    private final EventQueries queries;
    private final Reports reports;
    private final ReportQueries reportRows;
    private final Answers answers;

    ApiService(EventQueries queries, Reports reports, ReportQueries reportRows, Answers answers) {
        this.queries = queries;
        this.reports = reports;
        this.reportRows = reportRows;
        this.answers = answers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/events", this::getEvents)
             .get("/initial-stats", this::getInitialStats)
             .get("/sessions", this::getSessions)
             .get("/sessions/{id}", this::getSession)
             .get("/sessions/{id}/events", this::getSessionEvents)
             .get("/export", this::getExport);
    }

    private void getEvents(ServerRequest req, ServerResponse res) {
        QueryParams q = new QueryParams(req);
        String session = q.text("session_id");
        String agent = q.text("agent_id");
        int limit = q.limit(50, MAX_EVENTS);
        int offset = q.offset();
        EventQueries.Cursor before = q.cursor();
        answers.send(res, "events", QueryParams.key("session_id", session, "agent_id", agent, "limit", limit,
                "offset", offset, "cursor", before), session, () -> queries.events(session, agent, before, limit,
                offset));
    }

    private void getInitialStats(ServerRequest req, ServerResponse res) {
        answers.send(res, "initial-stats", "", queries::initialStats);
    }

    private void getSessions(ServerRequest req, ServerResponse res) {
        QueryParams q = new QueryParams(req);
        String status = q.oneOf("status", Vocabulary.values(SessionStatus.class));
        int limit = q.limit(50, MAX_SESSIONS);
        int offset = q.offset();
        EventQueries.Cursor before = q.sessionCursor();
        answers.send(res, "sessions", QueryParams.key("status", status, "limit", limit, "offset", offset, "cursor",
                before), () -> queries.sessions(status, before, limit, offset));
    }

    private void getSession(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        answers.send(res, "session", id, id, () -> reports.session(id).orElseThrow(() -> unknownSession(id)));
    }

    private void getSessionEvents(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        QueryParams q = new QueryParams(req);
        int limit = q.limit(100, MAX_EVENTS);
        int offset = q.offset();
        EventQueries.Cursor before = q.cursor();
        answers.send(res, "session-events", QueryParams.key("id", id, "limit", limit, "offset", offset, "cursor",
                before), id, () -> {
                    if (!queries.sessionExists(id)) {
                        throw unknownSession(id);
                    }
                    return queries.events(id, null, before, limit, offset);
                });
    }

    /**
     * Streams a session's events with their payloads, oldest first, as NDJSON (default) or one JSON array, a page at a
     * time: each read and written out as bytes on the read pool, in turn with the other reads, and sent from here.
     */
    private void getExport(ServerRequest req, ServerResponse res) throws IOException {
        QueryParams q = new QueryParams(req);
        String id = q.required("session_id");
        boolean ndjson = !"json".equals(q.oneOf("format", Set.of("ndjson", "json")));
        if (!answers.read(() -> queries.sessionExists(id))) {
            throw unknownSession(id);
        }
        res.headers().contentType(ndjson ? NDJSON : MediaTypes.APPLICATION_JSON);
        res.header("Content-Disposition",
                   "attachment; filename=\"session-export." + (ndjson ? "ndjson" : "json") + "\"");
        try (OutputStream out = res.outputStream()) {
            // nothing is written before the first page is read: a store too busy to read it still answers 503
            ReportQueries.ExportKey next = ReportQueries.ExportKey.FIRST;
            while (next != null) {
                next = sendExportPage(out, id, next, ndjson);
            }
            out.write(ndjson ? new byte[0] : new byte[] {']'});
        }
    }

    /**
     * Reads and renders the export's page after {@code after} on the read pool, and sends it; returns where the next
     * page starts, or null after the last. Nothing of a page is kept while the next one waits for its turn.
     */
    private ReportQueries.ExportKey sendExportPage(OutputStream out, String id, ReportQueries.ExportKey after,
                                                   boolean ndjson) throws IOException {
        ExportPage page = answers.read(() -> {
            ExportPage read = new ExportPage(ndjson, after);
            reportRows.export(id, after, EXPORT_PAGE_EVENTS, read::add);
            return read;
        });
        page.bytes.writeTo(out);
        return page.full() ? page.last : null;
    }

    /** One page of an export as it is sent, and the key of the last event in it (where the next page starts). */
    private final class ExportPage {
        private final boolean ndjson;
        /** Sized for a full page and an event of a few KB after it: a larger last event grows it once. */
        private final Answers.ExportBytes bytes = new Answers.ExportBytes(EXPORT_PAGE_BYTES + 4 * 1024);
        private ReportQueries.ExportKey last;
        private int events;

        ExportPage(boolean ndjson, ReportQueries.ExportKey after) {
            this.ndjson = ndjson;
            this.last = after;
            if (!ndjson && ReportQueries.ExportKey.FIRST.equals(after)) {
                bytes.write('[');
            }
        }

        /** Appends an event (after a comma in a JSON array, but for its first); false once the page is full. */
        boolean add(ReportQueries.ExportRow row) {
            if (!ndjson && !ReportQueries.ExportKey.FIRST.equals(last)) {
                bytes.write(',');
            }
            answers.writeExportLine(row, bytes);
            if (ndjson) {
                bytes.write('\n');
            }
            last = row.key();
            events++;
            return bytes.size() < EXPORT_PAGE_BYTES;
        }

        /** Whether the session may hold more events after this page. */
        boolean full() {
            return events == EXPORT_PAGE_EVENTS || bytes.size() >= EXPORT_PAGE_BYTES;
        }
    }

    static ApiException unknownSession(String id) {
        return new ApiException(Status.NOT_FOUND_404, ErrorCode.NOT_FOUND, "no session '" + id + "'");
    }

}
