package io.proxplane.core.model;

import java.util.Locale;

/**
 * An absolute http/https URL for auth servers, login pages and backends:
 * {@code scheme://host[:port][/path]}. The host is an IPv4 address or a {@link DomainName}; the
 * path is limited to RFC 3986 path characters without '$', ';', quotes, braces, whitespace, '?'
 * or '#'. Queries, fragments and user-info are refused: the renderers append their own query and
 * none of these may carry nginx variables or directive separators into a config file.
 */
public record HttpUrl(String scheme, String host, Port port, String path) {

    static final String RULE = "must be an absolute URL http(s)://host[:port][/path] where host is a domain name or "
            + "IPv4 address and the path uses only [A-Za-z0-9-._~/!*+,=:@] and %XX escapes (no query or fragment)";

    public HttpUrl {
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw ValidationException.got("url.scheme", "must be 'http' or 'https'", scheme);
        }
        host = checkHost("url.host", host);
        if (path == null) {
            path = "";
        }
        if (!path.isEmpty() && (!validPath(path) || path.charAt(0) != '/')) {
            throw ValidationException.got("url.path", RULE, path);
        }
    }

    public static HttpUrl of(String field, String raw) {
        ValidationException.require(field, raw);
        if (raw.length() > 2048) {
            throw ValidationException.got(field, "must be at most 2048 characters", raw);
        }
        int schemeEnd = raw.indexOf("://");
        if (schemeEnd < 0) {
            throw ValidationException.got(field, RULE, raw);
        }
        String scheme = raw.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ValidationException.got(field, "must use the scheme http or https", raw);
        }
        int authorityStart = schemeEnd + 3;
        int pathStart = raw.indexOf('/', authorityStart);
        String authority = raw.substring(authorityStart, pathStart < 0 ? raw.length() : pathStart);
        String path = pathStart < 0 ? "" : raw.substring(pathStart);
        int colon = authority.lastIndexOf(':');
        String hostPart = colon < 0 ? authority : authority.substring(0, colon);
        Port port = null;
        if (colon >= 0) {
            try {
                port = Port.parse(field, authority.substring(colon + 1));
            } catch (ValidationException e) {
                throw ValidationException.got(field, "has an invalid port (must be 1-65535)", raw);
            }
        }
        String host;
        try {
            host = checkHost(field, hostPart);
        } catch (ValidationException e) {
            throw ValidationException.got(field, RULE, raw);
        }
        if (!validPath(path)) {
            throw ValidationException.got(field, RULE, raw);
        }
        return new HttpUrl(scheme, host, port, path);
    }

    private static String checkHost(String field, String host) {
        ValidationException.require(field, host);
        boolean looksNumeric = !host.isEmpty() && host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        return looksNumeric ? Ipv4Address.of(field, host).toString() : DomainName.of(field, host).value();
    }

    static boolean validPath(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~/!*+,=:@".indexOf(c) >= 0;
            if (c == '%') {
                ok = i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2));
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    public boolean https() {
        return scheme.equals("https");
    }

    /** The port in effect: the explicit one or the scheme's default. */
    public int effectivePort() {
        return port != null ? port.value() : https() ? 443 : 80;
    }

    /** Host with the explicit port, as in the URL's authority. */
    public String authority() {
        return port == null ? host : host + ":" + port;
    }

    @Override
    public String toString() {
        return scheme + "://" + authority() + path;
    }
}
