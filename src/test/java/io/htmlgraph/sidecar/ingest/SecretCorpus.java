package io.htmlgraph.sidecar.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Realistic secrets in realistic places (env lines, JSON, YAML, URLs, command lines, key files), for the tests that
 * post them through every write route. Each case is the text an agent would see and the secret that must not survive.
 */
public final class SecretCorpus {
    /** One case: {@code text} holds {@code secret}. */
    public record Case(String text, String secret) {
    }

    private static final List<String> TOKENS = List.of("ghp_{alnum:36}", "gho_{alnum:36}", "ghs_{alnum:36}",
            "github_pat_{alnum:22}_{alnum:59}", "glpat-{alnum:20}", "glrt-{alnum:24}", "sk-ant-api03-{alnum:93}AA",
            "sk-proj-{alnum:64}", "sk-{alnum:48}", "sk_live_{alnum:24}", "rk_live_{alnum:24}", "whsec_{alnum:32}",
            "AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A", "xoxb-{digits:12}-{digits:13}-{alnum:24}",
            "AIza{alnum:35}", "npm_{alnum:36}", "hf_{alnum:34}", "dckr_pat_{alnum:27}",
            "pypi-AgEIcHlwaS5vcmc{alnum:70}", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.{alnum:43}",
            "SG.{alnum:22}.{alnum:43}", "shpat_{hex:32}", "dop_v1_{hex:64}", "hvs.{alnum:90}", "lin_api_{alnum:40}",
            "sntrys_{alnum:100}", "GOCSPX-{alnum:28}", "ya29.{alnum:60}", "xai-{alnum:80}", "gsk_{alnum:52}",
            "r8_{alnum:37}", "PMAK-{hex:24}-{hex:34}", "figd_{alnum:40}", "NRAK-{upper:27}", "dapi{hex:32}",
            "pul-{hex:40}", "sbp_{hex:40}", "SK{hex:32}", "key-{alnum:32}", "ATATT3{alnum:186}", "sq0atp-{alnum:22}",
            "EZAK{alnum:54}", "lsv2_pt_{hex:32}_{hex:10}", "rubygems_{hex:48}", "pplx-{alnum:48}",
            "AGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHCE");
    /** Where a token may stand: anywhere, even under a harmless name. */
    private static final List<String> TOKEN_PLACES = List.of("GH=%s", "key: %s", "{\"value\": \"%s\"}",
            "  settings:\n    value: %s\n", "https://x-access-token:%s@github.com/o/r.git",
            "curl -H 'Authorization: Bearer %s' https://api.example.com/v1", "echo %s | docker login --password-stdin",
            "X=%s ./run.sh", "[default]\nvalue = %s\n", "cfg.set(\"%s\")");
    /** Where a plain password stands: only its place tells that it is one. */
    private static final List<String> PASSWORD_PLACES = List.of("DB_PASS=%s", "MYSQL_PWD=%s mysql app",
            "PASSPHRASE=%s", "password: %s", "{\"password\": \"%s\"}", "postgres://app:%s@db:5432/app",
            "mongodb+srv://root:%s@cluster0.example.net/db", "redis://:%s@cache:6379/0",
            "curl -u admin:%s https://api.example.com", "mysql -u root -p%s app",
            "curl -H 'X-Api-Key: %s' https://api.example.com", "sshpass -p %s ssh deploy@host",
            "psql --password=%s -h db", "Server=db;User Id=sa;Password=%s;", "machine example.com login me password %s",
            "export AWS_SECRET_ACCESS_KEY=%s", "spring.datasource.password=%s", "DATABASE_URL=mysql://u:%s@db/app",
            "docker login -u me -p %s registry.example.com", "  db_password: \"%s\"\n");

    private SecretCorpus() {
    }

    /** The cases, the same ones on every run. */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < TOKENS.size(); i++) {
            String token = SecretExamples.expand(TOKENS.get(i), i);
            for (int p = 0; p < 2; p++) {
                String place = TOKEN_PLACES.get((i * 2 + p) % TOKEN_PLACES.size());
                cases.add(new Case(place.formatted(token), token));
            }
        }
        for (int i = 0; i < PASSWORD_PLACES.size(); i++) {
            String password = SecretExamples.expand("{alnum:14}!", 1000 + i);
            cases.add(new Case(PASSWORD_PLACES.get(i).formatted(password), password));
        }
        for (int i = 0; i < 4; i++) {
            String body = SecretExamples.expand("{b64:64}", 2000 + i);
            cases.add(new Case(keyFile(i, body), body));
        }
        String accountKey = SecretExamples.expand("{b64:86}==", 3000);
        cases.add(new Case("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + accountKey + ";", accountKey));
        return cases;
    }

    private static String keyFile(int kind, String body) {
        return switch (kind) {
            case 0 -> "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n" + body + "\n-----END RSA PRIVATE KEY-----\n";
            case 1 -> "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----";
            case 2 -> "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + body
                      + "\n=AbCd\n-----END PGP PRIVATE KEY BLOCK-----";
            default -> "{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key_id\": \"abc\",\n"
                       + " \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n" + body
                       + "\\n-----END PRIVATE KEY-----\\n\", \"client_email\": \"x@p.iam.gserviceaccount.com\"}";
        };
    }
}
