package io.proxplane.ldap.filter;

/** A filter beyond the configured nesting depth or component count. */
public final class FilterTooComplexException extends Exception {
    public FilterTooComplexException(String message) {
        super(message);
    }
}
