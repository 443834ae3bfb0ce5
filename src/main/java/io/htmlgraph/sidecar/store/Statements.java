package io.htmlgraph.sidecar.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbStatements;

/**
 * The named SQL statements of {@code db/statements.yaml}, and for each the order of its {@code :name} parameters.
 * <p>
 * Why the order: Helidon's JDBC client re-parses a statement's named parameters on every execution, which cost more
 * than the SQL itself on the ingest path. SQLite numbers named parameters by first appearance (a repeated name keeps
 * its number), so binding the values by position in that order is exact and skips the parse.
 */
final class Statements {
    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");
    private static final Config CONFIG = Config.just(ConfigSources.classpath("db/statements.yaml")).get("statements");
    private static final DbStatements STATEMENTS = DbStatements.create(CONFIG);
    private static final Map<String, List<String>> ORDER = new ConcurrentHashMap<>();

    private Statements() {
    }

    static DbStatements all() {
        return STATEMENTS;
    }

    /** The statement's distinct parameter names, in the order SQLite numbers them. */
    static List<String> parameterOrder(String statement) {
        return ORDER.computeIfAbsent(statement, name -> {
            List<String> names = new ArrayList<>();
            Matcher m = PARAMETER.matcher(STATEMENTS.statement(name));
            while (m.find()) {
                if (!names.contains(m.group(1))) {
                    names.add(m.group(1));
                }
            }
            return List.copyOf(names);
        });
    }
}
