package io.proxplane.ldap.filter;

/** RFC 4511 three-valued filter logic: an entry is returned only when the filter is TRUE. */
public enum Tri {
    TRUE, FALSE, UNDEFINED;

    public Tri not() {
        return switch (this) {
            case TRUE -> FALSE;
            case FALSE -> TRUE;
            case UNDEFINED -> UNDEFINED;
        };
    }
}
