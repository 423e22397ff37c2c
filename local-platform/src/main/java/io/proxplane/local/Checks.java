package io.proxplane.local;

import com.unboundid.ldap.sdk.BindResult;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code --once}: proves every component serves what the apply declared, the way a user would
 * use it: an LDAP login over StartTLS, HTTPS through nginx to the container's address, a TCP
 * connection through nginx's stream proxy, and DNS answers from dnsmasq. Any failure stops the
 * run with what was expected and what came back.
 */
final class Checks {

    private Checks() {
    }

    static void run(PrintStream out, LocalOptions o, Deployment d, List<LocalPlatform.Edge> edges, StandInApps apps,
                    Path caCert, String password) throws Exception {
        X509TrustManager tm = trustManager(caCert);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
        if (d.usersWithPassword().isEmpty()) {
            throw new IllegalStateException("the example declares no user with a password; nothing to log in with");
        }
        for (String user : d.usersWithPassword()) {
            String dn = "uid=" + user + ",ou=people," + LocalPlatform.BASE_DN;
            try (LDAPConnection c = new LDAPConnection("127.0.0.1", o.ldapPort())) {
                ExtendedResult started = c.processExtendedOperation(new StartTLSExtendedRequest(tls));
                expect(started.getResultCode() == ResultCode.SUCCESS, "StartTLS", "success", started.getResultCode());
                BindResult bound = c.bind(dn, password);
                expect(bound.getResultCode() == ResultCode.SUCCESS, "LDAP bind as " + user, "success", bound.getResultCode());
                SearchResult me = c.search(LocalPlatform.BASE_DN, SearchScope.SUB, "(&(objectClass=posixAccount)(uid=" + user + "))",
                        "uidNumber", "homeDirectory");
                expect(me.getEntryCount() == 1, "posixAccount of " + user, "1 entry", me.getEntryCount());
                out.printf("    ok  LDAP: %s logs in over StartTLS (uidNumber %s)%n", user,
                        me.getSearchEntries().getFirst().getAttributeValue("uidNumber"));
            }
            try (LDAPConnection c = new LDAPConnection("127.0.0.1", o.ldapPort())) {
                c.processExtendedOperation(new StartTLSExtendedRequest(tls));
                c.bind(dn, password + "-wrong");
                throw new IllegalStateException("LDAP bind as " + user + " with a wrong password succeeded");
            } catch (LDAPException expected) {
                expect(expected.getResultCode() == ResultCode.INVALID_CREDENTIALS, "wrong password for " + user,
                        "invalidCredentials (49)", expected.getResultCode());
            }
        }

        for (LocalPlatform.Edge edge : edges) {
            OkHttpClient http = new OkHttpClient.Builder()
                    .dns(host -> List.of(InetAddress.getByName("127.0.0.1")))
                    .sslSocketFactory(tls.getSocketFactory(), tm)
                    .callTimeout(Duration.ofSeconds(10))
                    .retryOnConnectionFailure(false)
                    .build();
            for (Deployment.Service s : d.services()) {
                if (!s.site().equals(edge.site())) {
                    continue;
                }
                if ((s.kind().equals("http") || s.kind().equals("tcp")) && (apps == null || !apps.serves(s))) {
                    out.printf("    --  %s/%s: no application answers behind it here; not checked%n", s.container(), s.name());
                    continue;
                }
                switch (s.kind()) {
                    case "http" -> {
                        Request request = new Request.Builder().url("https://" + s.httpHost() + ":" + edge.httpsPort() + "/")
                                .header("Connection", "close").build();
                        try (Response r = http.newCall(request).execute()) {
                            String body = r.body() == null ? "" : r.body().string();
                            if (s.authRequired()) {
                                expect(r.code() == 503 || r.code() == 302, "https://" + s.httpHost() + " (auth required)",
                                        "503 without an auth server or a redirect to login", r.code() + " " + body);
                            } else {
                                expect(r.code() == 200 && body.contains("hello from " + s.container())
                                                && body.contains("x-forwarded-proto: https"),
                                        "https://" + s.httpHost(), "200 from " + s.container() + " with X-Forwarded-Proto",
                                        r.code() + " " + body);
                            }
                            out.printf("    ok  nginx: https://%s -> %d%n", s.httpHost(), r.code());
                        }
                    }
                    case "tcp" -> {
                        try (Socket socket = new Socket("127.0.0.1", s.externalPort())) {
                            socket.setSoTimeout(5000);
                            OutputStream w = socket.getOutputStream();
                            w.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                            w.flush();
                            InputStream in = socket.getInputStream();
                            byte[] back = in.readNBytes(5);
                            expect(new String(back, StandardCharsets.US_ASCII).equals("ping\n"),
                                    "tcp port " + s.externalPort(), "the bytes echoed", new String(back, StandardCharsets.US_ASCII));
                        }
                        out.printf("    ok  nginx stream: tcp %d -> %s:%d%n", s.externalPort(), s.container(), s.internalPort());
                    }
                    case "srv" -> {
                        String answer = dig(edge.dnsPort(), "SRV", s.srvName());
                        expect(!answer.isBlank() && answer.contains(" " + s.internalPort() + " "), "SRV " + s.srvName(),
                                "a record for port " + s.internalPort(), answer);
                        out.printf("    ok  dnsmasq: SRV %s -> %s%n", s.srvName(), answer.strip());
                    }
                    default -> {
                    }
                }
            }
            for (Deployment.Container c : d.containers()) {
                if (c.site().equals(edge.site()) && c.fqdn() != null) {
                    String answer = dig(edge.dnsPort(), "A", c.fqdn()).strip();
                    expect(answer.equals(c.ipv4()), "A " + c.fqdn(), c.ipv4(), answer);
                    out.printf("    ok  dnsmasq: A %s -> %s%n", c.fqdn(), answer);
                }
            }
        }
    }

    private static String dig(int port, String type, String name) throws Exception {
        Process p = new ProcessBuilder("dig", "@127.0.0.1", "-p", Integer.toString(port), "+short", "+time=2", "+tries=2",
                name, type).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("dig " + type + " " + name + " did not finish");
        }
        return output;
    }

    private static void expect(boolean ok, String what, String expected, Object actual) {
        if (!ok) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static X509TrustManager trustManager(Path caCert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            store.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }
}
