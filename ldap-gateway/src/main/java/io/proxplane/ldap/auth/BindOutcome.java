package io.proxplane.ldap.auth;

/** What a bind came to. Every failure except INVALID_DN is answered with invalidCredentials (49). */
public enum BindOutcome {
    SUCCESS, ANONYMOUS, INVALID_CREDENTIALS, ACCOUNT_LOCKED, RATE_LIMITED, SECOND_FACTOR_REJECTED,
    SECOND_FACTOR_TIMEOUT, SECOND_FACTOR_FAILED, INVALID_DN, UNWILLING
}
