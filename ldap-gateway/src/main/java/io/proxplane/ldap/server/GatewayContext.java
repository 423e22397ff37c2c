package io.proxplane.ldap.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.proxplane.ldap.auth.Authenticator;
import io.proxplane.ldap.directory.DirectorySnapshot;
import io.proxplane.ldap.directory.DirectorySource;

import javax.net.ssl.SSLContext;
import java.time.Clock;
import java.util.function.Supplier;

/** What every connection handler shares. {@code startTls} is null when no certificate is configured. */
record GatewayContext(GatewayConfig config, Supplier<DirectorySnapshot> snapshots, DirectorySource source,
                      Authenticator authenticator, MeterRegistry meters, SSLContext startTls, Clock clock,
                      SpecialEntries special) {
}
