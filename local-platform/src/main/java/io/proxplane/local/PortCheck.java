package io.proxplane.local;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything starts, that the fixed ports the platform advertises are free, so a
 * taken port is reported at once and by name instead of as a component that never gets ready.
 */
final class PortCheck {

    /** A port the platform will listen on: what it is for and the option that moves it. */
    record Wanted(String option, String what, int port, boolean udp) {
    }

    private PortCheck() {
    }

    /** The fixed ports of {@code o} (ports 0 = any free one are left out). */
    static List<Wanted> wanted(LocalOptions o) {
        List<Wanted> w = new ArrayList<>();
        if (o.proxmoxUrl() == null && o.simulatorPort() != 0) {
            w.add(new Wanted("--simulator-port", "Proxmox VE simulator", o.simulatorPort(), false));
        }
        w.add(new Wanted("--ldap-port", "LDAP gateway (StartTLS)", o.ldapPort(), false));
        w.add(new Wanted("--ldaps-port", "LDAP gateway (LDAPS)", o.ldapsPort(), false));
        w.add(new Wanted("--https-port", "nginx HTTPS", o.httpsPort(), false));
        w.add(new Wanted("--dns-port", "dnsmasq DNS", o.dnsPort(), false));
        w.add(new Wanted("--dns-port", "dnsmasq DNS", o.dnsPort(), true));
        return w;
    }

    /** Throws naming every taken port, the option that moves it and what it is for. */
    static void requireFree(List<Wanted> wanted) {
        List<String> taken = new ArrayList<>();
        for (Wanted w : wanted) {
            if (!free(w.port(), w.udp())) {
                taken.add("port " + w.port() + "/" + (w.udp() ? "udp" : "tcp") + " on 127.0.0.1 (" + w.what()
                        + ") is taken; free it or choose another with " + w.option() + " N");
            }
        }
        if (!taken.isEmpty()) {
            throw new IllegalStateException(String.join("\n", taken));
        }
    }

    static boolean free(int port, boolean udp) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            if (udp) {
                try (DatagramSocket s = new DatagramSocket(address)) {
                    return true;
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true); // a port in TIME_WAIT after the last run is free for the server
                s.bind(address);
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }
}
