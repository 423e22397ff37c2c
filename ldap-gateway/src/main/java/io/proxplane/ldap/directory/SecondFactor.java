package io.proxplane.ldap.directory;

/** The second factor a user's bind must pass after the password. */
public enum SecondFactor {
    NONE, PUSH
}
