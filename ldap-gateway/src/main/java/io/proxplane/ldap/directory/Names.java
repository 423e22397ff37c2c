package io.proxplane.ldap.directory;

import java.util.regex.Pattern;

/** The one naming rule for uids and group names, so that every name is a safe RDN value and POSIX name. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,63}");

    private Names() {
    }

    static void requireName(String field, String value) {
        if (value == null || !NAME.matcher(value).matches())
            throw new IllegalArgumentException(field + " must match " + NAME.pattern() + ", got '" + value + "'");
    }
}
