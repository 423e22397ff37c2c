package io.proxplane.ldap.push;

/** How a push request ended, as the bind sees it. Only {@link #APPROVED} lets a bind succeed. */
public enum PushOutcome {
    APPROVED, REJECTED, TIMEOUT, FAILED
}
