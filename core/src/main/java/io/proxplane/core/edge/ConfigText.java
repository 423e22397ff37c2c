package io.proxplane.core.edge;

/**
 * Last line of defence when writing config text. The model types already refuse anything that
 * could break out of a value; these checks make a renderer bug (a raw string reaching the output)
 * fail loudly instead of producing a config with an injected directive.
 */
final class ConfigText {

    private ConfigText() {
    }

    /** A bare nginx/dnsmasq token: only [A-Za-z0-9._:/*@+_-], so no whitespace, separators, quotes, braces, "$" or "#". */
    static String token(String value) {
        if (value.isEmpty()) {
            throw new IllegalStateException("refusing to render an empty token");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "._:/*@+-_".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalStateException("refusing to render unsafe token " + describe(value));
            }
        }
        return value;
    }

    /**
     * Appends an nginx double-quoted string. nginx expands variables even inside quotes and has no
     * escape for '$', so a literal '$' is refused; quotes and backslashes are refused rather than
     * escaped because no validated value contains them.
     */
    static StringBuilder quoted(StringBuilder out, String literal) {
        out.append('"');
        literal(out, literal);
        return out.append('"');
    }

    /** Appends text destined for the inside of an nginx quoted string (see {@link #quoted}). */
    static StringBuilder literal(StringBuilder out, String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '$') {
                throw new IllegalStateException("refusing to render unsafe string " + describe(literal));
            }
        }
        return out.append(literal);
    }

    private static String describe(String value) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < Math.min(value.length(), 64); i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append('\'').toString();
    }
}
