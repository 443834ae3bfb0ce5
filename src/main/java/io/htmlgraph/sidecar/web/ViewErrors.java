package io.htmlgraph.sidecar.web;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.BadRequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.ingest.BadInputException;
import io.htmlgraph.sidecar.store.StoreBusyException;
import io.htmlgraph.sidecar.store.StoreFaultException;
import io.htmlgraph.sidecar.view.Dashboard;

/**
 * Failures of the dashboard's routes answered as HTML, not JSON: htmx swaps the fragment where the view was due (the
 * page's {@code responseHandling} swaps 4xx/5xx), a browser shows the page. Same status codes as the JSON answers of
 * {@link ErrorHandling}; the detail is escaped by the template.
 */
final class ViewErrors {
    private static final Logger LOG = Logger.getLogger(ViewErrors.class.getName());

    private final Dashboard dashboard;

    ViewErrors(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    /** The failure of a fragment route as a fragment. */
    Handler fragment(Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (RuntimeException e) {
                Html.send(status(res, e, req.requestedUri().path().path()), fragment(e));
            }
        };
    }

    /**
     * The failure of a page route as the page (with {@code tab} selected) with the failure in its panel, or a bare
     * fragment if that fails too.
     */
    Handler page(Handler handler, String tab, LongSupplier sequence) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (RuntimeException e) {
                String fragment = fragment(e);
                String html;
                try {
                    html = dashboard.page("Error", tab, fragment, sequence.getAsLong());
                } catch (RuntimeException again) {
                    html = fragment;
                }
                Html.send(status(res, e, req.requestedUri().path().path()), html);
            }
        };
    }

    private String fragment(RuntimeException e) {
        Status status = status(e);
        return dashboard.error(status.code(), status.reasonPhrase(), ErrorHandling.code(e).code(),
                status.code() == 500 ? "the sidecar failed to handle this request; see its log" : e.getMessage(),
                status.code() == 503);
    }

    private static ServerResponse status(ServerResponse res, RuntimeException e, String path) {
        Status status = status(e);
        if (status.code() == 500) {
            LOG.log(Level.SEVERE, "view failed: " + path, e);
        }
        if (status.code() == 503) {
            res.header("Retry-After", e instanceof StoreBusyException ? "1" : "5");
        }
        return res.status(status);
    }

    private static Status status(RuntimeException e) {
        return switch (e) {
            case ApiException api -> api.status();
            case BadInputException bad -> Status.BAD_REQUEST_400;
            case BadRequestException bad -> Status.BAD_REQUEST_400;
            case StoreBusyException busy -> Status.SERVICE_UNAVAILABLE_503;
            case StoreFaultException fault -> Status.SERVICE_UNAVAILABLE_503;
            default -> Status.INTERNAL_SERVER_ERROR_500;
        };
    }
}
