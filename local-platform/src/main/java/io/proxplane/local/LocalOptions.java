package io.proxplane.local;

import io.proxplane.core.proxmox.TlsTrust;
import java.nio.file.Path;

/** Command-line options of the local platform; every one has an embedded default. */
record LocalOptions(boolean help, String proxmoxUrl, String tokenId, String tokenSecret, TlsTrust tlsTrust,
                    int simulatorPort, boolean keepRunning, String node, String templateStorage,
                    String rootStorage, String bridge, String address, String gateway) {

    static final String SIMULATOR_TOKEN_ID = "root@pam!local";
    static final String SIMULATOR_TOKEN_SECRET = "proxplane-local";

    static final String USAGE = """
            usage: bin/proxplane-local [options]
              --proxmox-url URL         a real Proxmox VE (https://host:8006); default: start the embedded simulator
              --token USER@REALM!ID=SECRET   API token for --proxmox-url (or $PROXMOX_TOKEN)
              --tls-ca FILE             trust this CA bundle (PEM) for --proxmox-url
              --tls-fingerprint AB:CD:..  pin the server certificate's SHA-256 fingerprint
              --insecure                skip TLS verification (explicit opt-out)
              --simulator-port N        port of the embedded simulator (default 0 = any free port)
              --keep-running            leave the embedded simulator running afterwards
              --node NAME               node to use (default: the first online node)
              --template-storage ID     storage holding vztmpl templates (default local)
              --root-storage ID         storage for the root disk (default local-lvm)
              --bridge NAME             bridge for eth0 (default vmbr0)
              --address CIDR            static IPv4 of the demo container (default 10.99.0.10/24)
              --gateway IP              its gateway (default 10.99.0.1)
              --help
            """;

    static LocalOptions parse(String[] args) {
        String url = null;
        String token = System.getenv("PROXMOX_TOKEN");
        TlsTrust trust = null;
        int simulatorPort = 0;
        boolean keepRunning = false;
        String node = null;
        String templateStorage = "local";
        String rootStorage = "local-lvm";
        String bridge = "vmbr0";
        String address = "10.99.0.10/24";
        String gateway = "10.99.0.1";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return new LocalOptions(true, null, null, null, null, 0, false, null, null, null, null, null, null);
                }
                case "--keep-running" -> keepRunning = true;
                case "--insecure" -> trust = TlsTrust.insecure();
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("unknown option or missing value: " + a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--proxmox-url" -> url = v;
                        case "--token" -> token = v;
                        case "--tls-ca" -> trust = TlsTrust.caBundle(Path.of(v));
                        case "--tls-fingerprint" -> trust = TlsTrust.pinnedSha256(v);
                        case "--simulator-port" -> simulatorPort = Integer.parseInt(v);
                        case "--node" -> node = v;
                        case "--template-storage" -> templateStorage = v;
                        case "--root-storage" -> rootStorage = v;
                        case "--bridge" -> bridge = v;
                        case "--address" -> address = v;
                        case "--gateway" -> gateway = v;
                        default -> throw new IllegalArgumentException("unknown option: " + a);
                    }
                }
            }
        }
        String tokenId = null;
        String secret = null;
        if (url != null) {
            if (token == null) {
                throw new IllegalArgumentException("--proxmox-url needs --token USER@REALM!ID=SECRET (or $PROXMOX_TOKEN)");
            }
            int bang = token.indexOf('!');
            int eq = token.indexOf('=', Math.max(bang, 0));
            if (bang < 0 || eq < 0) {
                throw new IllegalArgumentException("--token must look like USER@REALM!ID=SECRET");
            }
            tokenId = token.substring(0, eq);
            secret = token.substring(eq + 1);
            if (trust == null) {
                trust = TlsTrust.system();
            }
        }
        return new LocalOptions(false, url, tokenId, secret, trust, simulatorPort, keepRunning, node, templateStorage,
                rootStorage, bridge, address, gateway);
    }
}
