package io.proxplane.core.registry;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry URL every component accepts. The canonical form is the JDBC one,
 * {@code jdbc:postgresql://host[:port]/db[?params]}; the libpq form
 * {@code postgresql://[user[:password]@]host[:port]/db[?params]} (also {@code postgres://}) is
 * accepted too, so one URL can be pasted into any front door. User and password found in the URL
 * are returned separately (null when absent): the JDBC driver does not read them from there, and
 * an explicit user or password option wins over them.
 */
public record RegistryUrl(String jdbcUrl, String user, String password) {

    private static final Pattern FORM = Pattern.compile("(?:jdbc:postgresql|postgres(?:ql)?)://(?:([^@/\\s]*)@)?([^/\\s?@]+)/([^\\s?/]+)(\\?\\S*)?");

    /**
     * Parses {@code url}; {@code field} names the option or attribute in the error, which says
     * what was expected.
     */
    public static RegistryUrl parse(String field, String url) {
        Matcher m = url == null ? null : FORM.matcher(url.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(field + ": '" + url + "' is not a registry URL; expected "
                    + "jdbc:postgresql://host[:port]/database (or postgresql://[user[:password]@]host[:port]/database)");
        }
        String user = null;
        String password = null;
        if (m.group(1) != null) {
            if (url.strip().startsWith("jdbc:")) {
                throw new IllegalArgumentException(field + ": '" + url + "': a jdbc:postgresql URL takes no user@ part; "
                        + "give the user separately or use postgresql://user@host/database");
            }
            String info = m.group(1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
            if (user.isEmpty()) {
                user = null;
            }
        }
        String jdbc = "jdbc:postgresql://" + m.group(2) + "/" + m.group(3) + (m.group(4) == null ? "" : m.group(4));
        return new RegistryUrl(jdbc, user, password);
    }

    /** The database name, for tools that create it. */
    public String database() {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        String db = rest.substring(rest.indexOf('/') + 1);
        int q = db.indexOf('?');
        return q < 0 ? db : db.substring(0, q);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RegistryUrl[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
