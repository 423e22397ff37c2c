package io.proxplane.ldap.push;

/** Sends one push request and blocks until the service answers (or gives up). */
public interface PushNotifier {
    PushOutcome requestApproval(String username, String clientAddress);
}
