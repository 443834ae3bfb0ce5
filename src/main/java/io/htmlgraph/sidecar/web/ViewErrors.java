package io.htmlgraph.sidecar.web;

import java.util.function.LongSupplier;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.htmlgraph.sidecar.view.Dashboard;

/**
 * Failures of the dashboard's routes answered as HTML, not JSON: htmx swaps the fragment where the view was due (the
 * page's {@code responseHandling} swaps 4xx/5xx), a browser shows the page. Same status codes as the JSON answers of
 * {@link ErrorHandling}; the detail is escaped by the template.
 */
final class ViewErrors {
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
                ErrorHandling.answer(req, res, e);
                Html.send(res, fragment(e));
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
                ErrorHandling.answer(req, res, e);
                byte[] fragment = fragment(e);
                byte[] html;
                try {
                    html = dashboard.page("Error", tab, fragment, sequence.getAsLong());
                } catch (RuntimeException again) {
                    html = fragment;
                }
                Html.send(res, html);
            }
        };
    }

    private byte[] fragment(RuntimeException e) {
        Status status = ErrorHandling.status(e);
        return dashboard.error(status.code(), status.reasonPhrase(), ErrorHandling.code(e).code(),
                               ErrorHandling.detail(e), status == Status.SERVICE_UNAVAILABLE_503);
    }
}
