package io.proxplane.ldap.auth;

import com.unboundid.ldap.sdk.DN;

/** Who a connection is bound as. {@link #ANONYMOUS} before any successful bind. */
public record Principal(DN dn, Kind kind, String name) {
    public enum Kind { ANONYMOUS, USER, SERVICE }

    public static final Principal ANONYMOUS = new Principal(DN.NULL_DN, Kind.ANONYMOUS, "");

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }
}
