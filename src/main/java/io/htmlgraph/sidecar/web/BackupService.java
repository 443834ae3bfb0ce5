package io.htmlgraph.sidecar.web;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.store.Backups;

/**
 * {@code POST /admin/backup} on the admin socket: a consistent copy of the database ({@code VACUUM INTO}) while
 * ingest goes on, written into the backup directory ({@code HTMLGRAPH_BACKUP_DIR}) — never to a path the caller
 * names, since the admin socket has no token: only a plain file name may be chosen.
 * <pre>
 * curl -X POST http://127.0.0.1:9464/admin/backup
 * {"path":"/data/backups/htmlgraph-20261130-210501.db","bytes":1822720,"millis":84}
 * curl -X POST 'http://127.0.0.1:9464/admin/backup?name=before-upgrade.db'
 * </pre>
 */
public final class BackupService implements HttpService {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'htmlgraph-'yyyyMMdd-HHmmss'.db'")
            .withZone(ZoneOffset.UTC);

    private final Backups backups;
    private final Path dir;
    private final Json json;
    private final Clock clock;

    public BackupService(Backups backups, Path dir, Json json, Clock clock) {
        this.backups = backups;
        this.dir = dir;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/backup", this::postBackup);
    }

    private void postBackup(ServerRequest req, ServerResponse res) {
        String name = req.query().first("name").asOptional().orElseGet(() -> NAME.format(clock.instant()));
        if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")) {
            throw new ApiException(Status.BAD_REQUEST_400, ErrorCode.BAD_NAME,
                                   "name must be a plain file name (letters, digits, . _ -), up to 100 characters");
        }
        try {
            json.send(res, Status.CREATED_201, backups.copy(dir.resolve(name)));
        } catch (Backups.BackupExistsException e) {
            throw new ApiException(Status.CONFLICT_409, ErrorCode.EXISTS, e.getMessage());
        }
    }
}
