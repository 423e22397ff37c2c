package io.proxplane.ldap;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import io.proxplane.ldap.auth.BindThrottle;
import io.proxplane.ldap.auth.PasswordHashes;
import io.proxplane.ldap.directory.DirectoryData;
import io.proxplane.ldap.directory.DirectoryGroup;
import io.proxplane.ldap.directory.DirectoryUser;
import io.proxplane.ldap.directory.InMemoryDirectorySource;
import io.proxplane.ldap.server.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.proxplane.ldap.TestDirectory.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PagingAndHostileRequestsTest {
    static final String USERS = "(&(objectclass=posixAccount)(uid=*)(uidNumber=*)(gidNumber=*))";

    static InMemoryDirectorySource tenThousandUsers() {
        List<DirectoryUser> users = new ArrayList<>();
        String ssha = PasswordHashes.ssha("password".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 10_000; i++) users.add(DirectoryUser.of("user" + i, 10_000 + i, 10_000, ssha));
        InMemoryDirectorySource s = new InMemoryDirectorySource();
        s.replaceAll(new DirectoryData(users, List.of(DirectoryGroup.of("users", 10_000)), List.of()));
        return s;
    }

    @Test
    void interleavedPagedEnumerationOfTenThousandUsersOnOneConnection() throws Exception {
        try (var gw = new TestDirectory.Running(tenThousandUsers(),
                GatewayConfig.defaults().withRequireTlsForBind(false).withAnonymousSearch(true), null, null, BindThrottle.Policy.DEFAULT);
             LDAPConnection c = new LDAPConnection("127.0.0.1", gw.port())) {
            Set<String> seen = new HashSet<>();
            ASN1OctetString usersCookie = null;
            ASN1OctetString groupsCookie = null;
            int pages = 0;
            do {
                // users page -> ipHost -> sudo -> groups page -> next users page, as SSSD interleaves them
                SearchResult users = page(c, USERS, usersCookie, 1000);
                assertThat(users.getEntryCount()).isLessThanOrEqualTo(1000);
                users.getSearchEntries().forEach(e -> seen.add(e.getAttributeValue("uid")));
                usersCookie = SimplePagedResultsControl.get(users).getCookie();
                pages++;
                assertThat(page(c, "(&(objectclass=ipHost)(cn=*)(ipHostNumber=*))", null, 1000).getEntryCount()).isZero();
                assertThat(page(c, "(&(objectClass=sudoRole)(sudoHost=ALL))", null, 1000).getEntryCount()).isZero();
                if (pages == 1 || (groupsCookie != null && groupsCookie.getValueLength() > 0)) {
                    SearchResult groups = page(c, "(objectClass=posixGroup)", groupsCookie, 1);
                    groupsCookie = SimplePagedResultsControl.get(groups).getCookie();
                }
            } while (usersCookie.getValueLength() > 0);
            assertThat(pages).isEqualTo(10);
            assertThat(seen).hasSize(10_000);

            // Non-paged: the server size limit applies and says so.
            LDAPSearchException limited = assertThrows(LDAPSearchException.class,
                    () -> c.search(new SearchRequest(BASE, SearchScope.SUB, "(objectClass=posixAccount)", "uid")));
            assertThat(limited.getResultCode()).isEqualTo(ResultCode.SIZE_LIMIT_EXCEEDED);
            assertThat(limited.getEntryCount()).isEqualTo(500);

            // A cookie is useless on another connection.
            SearchResult first = page(c, USERS, null, 10);
            ASN1OctetString cookie = SimplePagedResultsControl.get(first).getCookie();
            try (LDAPConnection other = new LDAPConnection("127.0.0.1", gw.port())) {
                LDAPSearchException e = assertThrows(LDAPSearchException.class, () -> page(other, USERS, cookie, 10));
                assertThat(e.getResultCode()).isEqualTo(ResultCode.PROTOCOL_ERROR);
            }
            // Page size 0 with the cookie abandons that search; the cookie is then invalid.
            SearchResult abandoned = page(c, USERS, cookie, 0);
            assertThat(abandoned.getEntryCount()).isZero();
            assertThat(assertThrows(LDAPSearchException.class, () -> page(c, USERS, cookie, 10)).getResultCode())
                    .isEqualTo(ResultCode.PROTOCOL_ERROR);
        }
    }

    static SearchResult page(LDAPConnection c, String filter, ASN1OctetString cookie, int size) throws LDAPException {
        SearchRequest r = new SearchRequest(BASE, SearchScope.SUB, filter, "uid", "cn");
        r.addControl(new SimplePagedResultsControl(size, cookie));
        return c.search(r);
    }

    @Test
    void malformedAndHostileRequestsGetProperResultCodes() throws Exception {
        try (var gw = new TestDirectory.Running(TestDirectory.standard());
             LDAPConnection c = new LDAPConnection("127.0.0.1", gw.port())) {
            c.bind("uid=alice,ou=people," + BASE, "alice-secret");
            // Bad DNs
            assertThat(code(() -> c.search("not a dn", SearchScope.SUB, "(uid=*)"))).isEqualTo(ResultCode.INVALID_DN_SYNTAX);
            LDAPSearchException missing = assertThrows(LDAPSearchException.class,
                    () -> c.search("uid=ghost,ou=people," + BASE, SearchScope.BASE, "(objectClass=*)"));
            assertThat(missing.getResultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT);
            assertThat(missing.getMatchedDN()).isEqualTo("ou=people," + BASE);
            assertThat(code(() -> c.search("dc=other,dc=org", SearchScope.SUB, "(uid=*)"))).isEqualTo(ResultCode.NO_SUCH_OBJECT);
            assertThat(code(() -> c.bind("uid=alice,,,", "x"))).isEqualTo(ResultCode.INVALID_DN_SYNTAX);
            c.bind("uid=alice,ou=people," + BASE, "alice-secret");

            // Deep nesting and huge filters are refused; the connection stays usable.
            Filter deep = Filter.create("(uid=alice)");
            for (int i = 0; i < 100; i++) deep = Filter.createNOTFilter(deep);
            Filter deepFinal = deep;
            assertThat(code(() -> c.search(BASE, SearchScope.SUB, deepFinal))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            List<Filter> many = new ArrayList<>();
            for (int i = 0; i < 5000; i++) many.add(Filter.createEqualityFilter("uid", "u" + i));
            assertThat(code(() -> c.search(BASE, SearchScope.SUB, Filter.createORFilter(many)))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(c.search(BASE, SearchScope.SUB, "(uid=alice)").getEntryCount()).isEqualTo(1);

            // Undefined assertions: invalid integer, unknown attribute, unknown matching rule.
            assertThat(c.search(BASE, SearchScope.SUB, "(uidNumber=abc)").getEntryCount()).isZero();
            assertThat(c.search(BASE, SearchScope.SUB, "(!(uidNumber=abc))").getEntryCount()).isZero();
            assertThat(c.search(BASE, SearchScope.SUB, "(uid:1.2.3.4.5:=alice)").getEntryCount()).isZero();
            assertThat(c.search(BASE, SearchScope.SUB, "(uid:caseExactMatch:=alice)").getEntryCount()).isEqualTo(1);
            assertThat(c.search(BASE, SearchScope.SUB, "(&(objectClass=posixAccount)(uidNumber>=2003))").getEntryCount()).isEqualTo(3);
            assertThat(c.search(BASE, SearchScope.SUB, "(mail=*@example.com)").getEntryCount()).isEqualTo(2);
            assertThat(c.search(BASE, SearchScope.SUB, "(ou:dn:=people)").getEntryCount()).as(":dn: matches RDNs of the DN")
                    .isEqualTo(6);
            assertThat(c.search(BASE, SearchScope.ONE, "(objectClass=*)").getEntryCount()).isEqualTo(3);
            assertThat(c.search("ou=groups," + BASE, SearchScope.ONE, "(objectClass=*)").getEntryCount()).isEqualTo(3);

            // Unsupported critical control -> 12; unknown extended operation -> 2; writes -> 53.
            SearchRequest critical = new SearchRequest(BASE, SearchScope.SUB, "(uid=alice)");
            critical.addControl(new Control("1.2.3.4.999", true, null));
            assertThat(code(() -> c.search(critical))).isEqualTo(ResultCode.UNAVAILABLE_CRITICAL_EXTENSION);
            assertThat(code(() -> c.processExtendedOperation("1.2.3.4.5.6"))).isEqualTo(ResultCode.PROTOCOL_ERROR);
            assertThat(c.search(BASE, SearchScope.SUB, "(uid=alice)").getEntryCount()).as("connection survives").isEqualTo(1);
            assertThat(code(() -> c.delete("uid=bob,ou=people," + BASE))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(code(() -> c.modify("uid=bob,ou=people," + BASE, new Modification(ModificationType.REPLACE, "mail", "x@y"))))
                    .isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
            assertThat(code(() -> c.modify("uid=bob,ou=people," + BASE, new Modification(ModificationType.REPLACE, "shadowLastChange", "20000"))))
                    .isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            assertThat(c.modify("uid=alice,ou=people," + BASE, new Modification(ModificationType.REPLACE, "shadowLastChange", "20000"))
                    .getResultCode()).isEqualTo(ResultCode.SUCCESS);
            assertThat(c.compare("uid=alice,ou=people," + BASE, "uidNumber", "2001").compareMatched()).isTrue();
            assertThat(code(() -> c.bind(new com.unboundid.ldap.sdk.EXTERNALBindRequest())))
                    .isEqualTo(ResultCode.AUTH_METHOD_NOT_SUPPORTED);
            LDAPConnectionOptions lax = c.getConnectionOptions();
            lax.setBindWithDNRequiresPassword(false);
            c.setConnectionOptions(lax);
            assertThat(code(() -> c.bind("uid=alice,ou=people," + BASE, ""))).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
        }
    }

    @Test
    void oversizedMessageClosesOnlyThatConnection() throws Exception {
        try (var gw = new TestDirectory.Running(TestDirectory.standard())) {
            LDAPConnectionOptions options = new LDAPConnectionOptions();
            options.setResponseTimeoutMillis(5000);
            try (LDAPConnection c = new LDAPConnection(options, "127.0.0.1", gw.port())) {
                String huge = "x".repeat(400_000);
                LDAPException e = assertThrows(LDAPException.class,
                        () -> c.search(BASE, SearchScope.SUB, Filter.createEqualityFilter("uid", huge)));
                assertThat(e.getResultCode()).isIn(ResultCode.SERVER_DOWN, ResultCode.TIMEOUT);
            }
            try (LDAPConnection c = new LDAPConnection("127.0.0.1", gw.port())) {
                assertThat(c.getRootDSE()).isNotNull();
            }
        }
    }

    @Test
    void passwordModifyWithAndWithoutOldPasswordStoresArgon2id() throws Exception {
        InMemoryDirectorySource source = TestDirectory.standard();
        try (var gw = new TestDirectory.Running(source);
             LDAPConnection c = new LDAPConnection("127.0.0.1", gw.port())) {
            String dn = "uid=alice,ou=people," + BASE;
            c.bind(dn, "alice-secret");
            // SSSD shape: userIdentity + old + new
            ExtendedResult wrongOld = c.processExtendedOperation(new PasswordModifyExtendedRequest(dn, "nope", "new-password-1"));
            assertThat(wrongOld.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            ExtendedResult tooShort = c.processExtendedOperation(new PasswordModifyExtendedRequest(dn, "alice-secret", "short"));
            assertThat(tooShort.getResultCode()).isEqualTo(ResultCode.CONSTRAINT_VIOLATION);
            ExtendedResult other = c.processExtendedOperation(new PasswordModifyExtendedRequest(
                    "uid=bob,ou=people," + BASE, null, "new-password-9"));
            assertThat(other.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            ExtendedResult sssd = c.processExtendedOperation(new PasswordModifyExtendedRequest(dn, "alice-secret", "new-password-1"));
            assertThat(sssd.getResultCode()).isEqualTo(ResultCode.SUCCESS);
            assertThat(source.user("alice").passwordHash()).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
            gw.gateway.refresher().reload();
            // nslcd shape: new password only, after binding with the current one
            try (LDAPConnection n = new LDAPConnection("127.0.0.1", gw.port())) {
                n.bind(dn, "new-password-1");
                ExtendedResult nslcd = n.processExtendedOperation(new PasswordModifyExtendedRequest(dn, null, "new-password-2"));
                assertThat(nslcd.getResultCode()).isEqualTo(ResultCode.SUCCESS);
            }
            gw.gateway.refresher().reload();
            try (LDAPConnection n = new LDAPConnection("127.0.0.1", gw.port())) {
                assertThat(code(() -> n.bind(dn, "new-password-1"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
                assertThat(n.bind(dn, "new-password-2").getResultCode()).isEqualTo(ResultCode.SUCCESS);
            }
            // anonymous connections cannot change passwords
            try (LDAPConnection anon = new LDAPConnection("127.0.0.1", gw.port())) {
                assertThat(anon.processExtendedOperation(new PasswordModifyExtendedRequest(dn, "new-password-2", "x-password-3"))
                        .getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            }
        }
    }

    @Test
    void repeatedFailuresLockTheAccountEvenForTheRightPassword() throws Exception {
        var policy = new BindThrottle.Policy(3, 100, Duration.ofMinutes(5), Duration.ofMinutes(5));
        try (var gw = new TestDirectory.Running(TestDirectory.standard(),
                GatewayConfig.defaults().withRequireTlsForBind(false), null, null, policy);
             LDAPConnection c = new LDAPConnection("127.0.0.1", gw.port())) {
            String dn = "uid=alice,ou=people," + BASE;
            for (String guess : List.of("guess0", "guess1", "guess2")) assertThat(code(() -> c.bind(dn, guess))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(code(() -> c.bind(dn, "alice-secret"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(gw.audit.getLast().outcome()).isEqualTo(io.proxplane.ldap.auth.BindOutcome.ACCOUNT_LOCKED);
            assertThat(c.bind("uid=bob,ou=people," + BASE, "bob-secret").getResultCode()).isEqualTo(ResultCode.SUCCESS);
        }
    }

    @Test
    void passwordBindsNeedTlsWhenRequired() throws Exception {
        try (var gw = new TestDirectory.Running(TestDirectory.standard(), GatewayConfig.defaults(), null, null,
                BindThrottle.Policy.DEFAULT);
             LDAPConnection c = new LDAPConnection("127.0.0.1", gw.port())) {
            assertThat(code(() -> c.bind("uid=alice,ou=people," + BASE, "alice-secret")))
                    .isEqualTo(ResultCode.CONFIDENTIALITY_REQUIRED);
            assertThat(c.bind("", "").getResultCode()).isEqualTo(ResultCode.SUCCESS);
        }
    }

    interface Call {
        LDAPResult run() throws LDAPException;
    }

    static ResultCode code(Call call) {
        try {
            return call.run().getResultCode();
        } catch (LDAPException e) {
            return e.getResultCode();
        }
    }
}
