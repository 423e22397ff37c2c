package io.proxplane.ldap;

import com.unboundid.ldap.sdk.BindResult;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import io.proxplane.ldap.auth.BindOutcome;
import io.proxplane.ldap.server.GatewayConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.proxplane.ldap.TestDirectory.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/** The exact requests of ldap-clients.md §3–§8, sent with the UnboundID client, and the answers they need. */
class ClientRequestShapesTest {
    static final String[] SSSD_USER_ATTRS = ("objectClass uid userPassword uidNumber gidNumber gecos homeDirectory "
            + "loginShell krbPrincipalName cn modifyTimestamp modifyTimestamp shadowLastChange shadowMin shadowMax "
            + "shadowWarning shadowInactive shadowExpire shadowFlag krbLastPwdChange krbPasswordExpiration pwdAttribute "
            + "authorizedService accountExpires userAccountControl nsAccountLock host rhost loginDisabled "
            + "loginExpirationTime loginAllowedTimeMap sshPublicKey userCertificate;binary mail").split(" ");
    static final String[] SSSD_GROUP_ATTRS = "objectClass cn userPassword gidNumber memberuid modifyTimestamp modifyTimestamp".split(" ");
    static final String[] ROOT_DSE_ATTRS = ("* altServer namingContexts supportedControl supportedExtension supportedFeatures "
            + "supportedLDAPVersion supportedSASLMechanisms domainControllerFunctionality defaultNamingContext lastUSN "
            + "highestCommittedUSN").split(" ");

    static TestDirectory.Running gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new TestDirectory.Running(TestDirectory.standard(),
                GatewayConfig.defaults().withRequireTlsForBind(false).withAnonymousSearch(true), null, null,
                io.proxplane.ldap.auth.BindThrottle.Policy.DEFAULT);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    LDAPConnection connect() throws LDAPException {
        return new LDAPConnection("127.0.0.1", gw.port());
    }

    static SearchResult search(LDAPConnection c, String filter, String... attrs) throws LDAPException {
        return c.search(new SearchRequest(BASE, SearchScope.SUB, filter, attrs));
    }

    @Test
    void rootDseBeforeAnyBindAdvertisesWhatSssdNeeds() throws Exception {
        try (LDAPConnection c = connect()) {
            SearchResultEntry root = c.searchForEntry(new SearchRequest("", SearchScope.BASE, "(objectclass=*)", ROOT_DSE_ATTRS));
            assertThat(root.getAttributeValues("namingContexts")).containsExactly(BASE);
            assertThat(root.getAttributeValue("defaultNamingContext")).isEqualTo(BASE);
            assertThat(root.getAttributeValues("supportedControl")).containsExactly("1.2.840.113556.1.4.319");
            assertThat(root.getAttributeValues("supportedExtension"))
                    .contains("1.3.6.1.4.1.4203.1.11.1", "1.3.6.1.4.1.4203.1.11.3")
                    .doesNotContain("1.3.6.1.4.1.1466.20037"); // no TLS configured here, so not advertised
            assertThat(root.getAttributeValue("supportedLDAPVersion")).isEqualTo("3");
            assertThat(root.hasAttribute("altServer")).isFalse();
        }
    }

    @Test
    void subschemaIsReadableAndKnowsPosixSchema() throws Exception {
        try (LDAPConnection c = connect()) {
            var schema = c.getSchema();
            assertThat(schema.getObjectClass("posixAccount")).isNotNull();
            assertThat(schema.getAttributeType("sshPublicKey")).isNotNull();
            assertThat(schema.getAttributeType("memberOf")).isNotNull();
        }
    }

    @Test
    void sssdGetpwnamAndGetpwuid() throws Exception {
        try (LDAPConnection c = connect()) {
            SearchResult byName = search(c, "(&(uid=alice)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))", SSSD_USER_ATTRS);
            assertThat(byName.getEntryCount()).isEqualTo(1);
            SearchResultEntry alice = byName.getSearchEntries().getFirst();
            assertThat(alice.getDN()).isEqualTo("uid=alice,ou=people," + BASE);
            assertThat(alice.getAttributeValue("uidNumber")).isEqualTo("2001");
            assertThat(alice.getAttributeValue("gidNumber")).isEqualTo("3001");
            assertThat(alice.getAttributeValue("homeDirectory")).isEqualTo("/home/alice");
            assertThat(alice.getAttributeValue("gecos")).isEqualTo("Alice Liddell");
            assertThat(alice.getAttributeValue("sshPublicKey")).startsWith("ssh-ed25519 ");
            assertThat(alice.getAttributeValue("modifyTimestamp")).isEqualTo("20260115100000.000Z");
            assertThat(alice.getAttributeValue("shadowLastChange")).isEqualTo("20468");
            assertThat(alice.hasAttribute("userPassword")).isFalse();
            assertThat(alice.hasAttribute("krbPrincipalName")).isFalse();

            SearchResult byNumber = search(c, "(&(uidNumber=2001)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))", SSSD_USER_ATTRS);
            assertThat(byNumber.getSearchEntries()).extracting(e -> e.getAttributeValue("uid")).containsExactly("alice");

            SearchResult unknown = search(c, "(&(uid=nobody)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))", SSSD_USER_ATTRS);
            assertThat(unknown.getResultCode()).isEqualTo(ResultCode.SUCCESS);
            assertThat(unknown.getEntryCount()).isZero();

            // Numeric strings looked up as names must simply find nothing.
            assertThat(search(c, "(&(uid=2001)(objectclass=posixAccount)(uid=*)(&(uidNumber=*)(!(uidNumber=0))))").getEntryCount()).isZero();
            assertThat(search(c, "(&(cn=3001)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))").getEntryCount()).isZero();
        }
    }

    @Test
    void sssdInitgroupsPagedAndGroupLookups() throws Exception {
        try (LDAPConnection c = connect()) {
            SearchRequest initgroups = new SearchRequest(BASE, SearchScope.SUB,
                    "(&(memberuid=alice)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))",
                    "objectClass", "cn", "userPassword", "gidNumber", "modifyTimestamp", "modifyTimestamp");
            initgroups.addControl(new SimplePagedResultsControl(1000));
            SearchResult r = c.search(initgroups);
            assertThat(r.getSearchEntries()).extracting(e -> e.getAttributeValue("cn")).containsExactly("devs", "ops");
            SimplePagedResultsControl done = SimplePagedResultsControl.get(r);
            assertThat(done).isNotNull();
            assertThat(done.getCookie().getValueLength()).isZero();

            SearchResult byGid = search(c, "(&(gidNumber=3001)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))", SSSD_GROUP_ATTRS);
            SearchResultEntry devs = byGid.getSearchEntries().getFirst();
            assertThat(devs.getAttributeValues("memberUid")).containsExactly("alice", "bob");
            assertThat(devs.getAttributeValue("cn")).isEqualTo("devs");

            SearchResult byName = search(c, "(&(cn=ops)(objectClass=posixGroup)(cn=*)(&(gidNumber=*)(!(gidNumber=0))))", SSSD_GROUP_ATTRS);
            assertThat(byName.getSearchEntries()).extracting(e -> e.getAttributeValue("gidNumber")).containsExactly("3003");
        }
    }

    @Test
    void rfc2307bisMemberSearchesCompareDnsNotStrings() throws Exception {
        try (LDAPConnection c = connect()) {
            SearchResult r = search(c, "(&(member=UID=Alice, OU=People,DC=Example,DC=com)(objectClass=posixGroup)(cn=*))",
                    "objectClass", "cn", "userPassword", "gidNumber", "member", "modifyTimestamp", "modifyTimestamp");
            assertThat(r.getSearchEntries()).extracting(e -> e.getAttributeValue("cn")).containsExactly("devs", "ops");
            assertThat(r.getSearchEntries().getFirst().getAttributeValues("member"))
                    .containsExactly("uid=alice,ou=people," + BASE, "uid=bob,ou=people," + BASE);
            SearchResultEntry memberRead = c.searchForEntry(new SearchRequest("uid=bob,ou=people," + BASE, SearchScope.BASE,
                    "(objectclass=posixAccount)", "objectClass", "uid"));
            assertThat(memberRead.getAttributeValue("uid")).isEqualTo("bob");
        }
    }

    @Test
    void accessFilterOnMemberOfWithBaseScope() throws Exception {
        try (LDAPConnection c = connect()) {
            SearchResult allowed = c.search(new SearchRequest("uid=alice,ou=people," + BASE, SearchScope.BASE,
                    "(&(uid=alice)(objectclass=posixAccount)(memberOf=cn=devs,ou=groups,dc=example,dc=com))"));
            assertThat(allowed.getEntryCount()).isEqualTo(1);
            assertThat(allowed.getSearchEntries().getFirst().hasAttribute("memberOf")).as("operational: not in *").isFalse();
            SearchResult denied = c.search(new SearchRequest("uid=bob,ou=people," + BASE, SearchScope.BASE,
                    "(&(uid=bob)(objectclass=posixAccount)(memberOf=cn=ops,ou=groups,dc=example,dc=com))"));
            assertThat(denied.getEntryCount()).isZero();
            SearchResultEntry withMemberOf = c.searchForEntry(new SearchRequest("uid=alice,ou=people," + BASE,
                    SearchScope.BASE, "(objectClass=*)", "memberOf"));
            assertThat(withMemberOf.getAttributeValues("memberOf"))
                    .containsExactly("cn=devs,ou=groups," + BASE, "cn=ops,ou=groups," + BASE);
        }
    }

    @Test
    void sudoAndIpSearchesSucceedWithNoEntries() throws Exception {
        try (LDAPConnection c = connect()) {
            String sudo = "(&(objectClass=sudoRole)(|(&(!(sudoHost=*))(cn=defaults))(sudoHost=ALL)(sudoHost=ct-104)"
                    + "(sudoHost=ct-104.cluster.example.internal)(sudoHost=10.0.0.5)(sudoHost=10.0.0.0/24)(sudoHost=+*)))";
            SearchRequest r = new SearchRequest(BASE, SearchScope.SUB, sudo, "objectClass", "objectClass", "cn",
                    "sudoCommand", "sudoHost", "sudoUser", "sudoOption", "sudoRunAs", "sudoRunAsUser", "sudoRunAsGroup",
                    "sudoNotBefore", "sudoNotAfter", "sudoOrder", "modifyTimestamp");
            r.addControl(new SimplePagedResultsControl(1000));
            assertThat(c.search(r).getEntryCount()).isZero();
            for (String f : List.of("(&(objectclass=ipHost)(cn=*)(ipHostNumber=*))", "(&(objectclass=ipNetwork)(cn=*)(ipNetworkNumber=*))",
                    "(&(objectclass=ipService)(cn=*)(ipServicePort=*)(ipServiceProtocol=*))")) {
                SearchResult res = search(c, f, "objectClass", "cn", "modifyTimestamp");
                assertThat(res.getResultCode()).isEqualTo(ResultCode.SUCCESS);
                assertThat(res.getEntryCount()).as(f).isZero();
            }
            // Undefined is not FALSE: NOT of an unknown type must not match everything.
            assertThat(search(c, "(!(sudoHost=*))").getEntryCount()).isZero();
        }
    }

    @Test
    void nslcdRequestsOnAnonymouslyBoundConnection() throws Exception {
        try (LDAPConnection c = connect()) {
            assertThat(c.bind("", "").getResultCode()).isEqualTo(ResultCode.SUCCESS);
            String[] passwd = {"uidNumber", "cn", "gecos", "uid", "objectClass", "homeDirectory", "gidNumber", "loginShell"};
            assertThat(search(c, "(&(objectClass=posixAccount)(uid=alice))", passwd).getEntryCount()).isEqualTo(1);
            assertThat(search(c, "(&(objectClass=posixAccount)(uidNumber=2002))", passwd).getSearchEntries())
                    .extracting(e -> e.getAttributeValue("loginShell")).containsExactly("/bin/zsh");
            SearchRequest group = new SearchRequest(BASE, SearchScope.SUB, "(&(objectClass=posixGroup)(gidNumber=3001))",
                    "member", "cn", "memberUid", "gidNumber");
            group.addControl(new Control("1.3.6.1.4.1.4203.666.5.16", false, null)); // deref: ignored
            assertThat(c.search(group).getEntryCount()).isEqualTo(1);
            SearchResult initgroups = search(c,
                    "(&(objectClass=posixGroup)(|(memberUid=alice)(member=uid=alice,ou=people,dc=example,dc=com)))", "cn", "gidNumber");
            assertThat(initgroups.getSearchEntries()).extracting(e -> e.getAttributeValue("cn")).containsExactly("devs", "ops");
            SearchResult shadow = search(c, "(&(objectClass=shadowAccount)(uid=carol))", "shadowFlag", "shadowMax",
                    "shadowMin", "shadowLastChange", "uid", "shadowExpire", "shadowInactive", "shadowWarning");
            assertThat(shadow.getSearchEntries().getFirst().getAttributeValue("shadowExpire"))
                    .as("suspended accounts are expired for account checks").isEqualTo("1");
        }
    }

    @Test
    void abandonOfCompletedIdIsIgnored() throws Exception {
        try (LDAPConnection c = connect()) {
            var listener = new com.unboundid.ldap.sdk.AsyncSearchResultListener() {
                public void searchEntryReturned(SearchResultEntry e) { }
                public void searchReferenceReturned(com.unboundid.ldap.sdk.SearchResultReference r) { }
                public void searchResultReceived(com.unboundid.ldap.sdk.AsyncRequestID id, SearchResult r) { }
            };
            var async = c.asyncSearch(new SearchRequest(listener, BASE, SearchScope.SUB, DereferencePolicy.NEVER, 0, 0,
                    false, Filter.create("(uid=alice)")));
            async.get();
            c.abandon(async);
            assertThat(search(c, "(uid=bob)").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void anonymousSearchCanBeRefused() throws Exception {
        try (var strict = new TestDirectory.Running(TestDirectory.standard());
             LDAPConnection c = new LDAPConnection("127.0.0.1", strict.port())) {
            assertThat(c.getRootDSE()).isNotNull();
            LDAPException denied = org.junit.jupiter.api.Assertions.assertThrows(LDAPException.class,
                    () -> search(c, "(uid=alice)"));
            assertThat(denied.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            c.bind("uid=ct-104,ou=services," + BASE, "service-secret");
            assertThat(search(c, "(uid=alice)").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void bindsWithPpolicyControlAndIdenticalFailures() throws Exception {
        Control ppolicy = new Control("1.3.6.1.4.1.42.2.27.8.5.1", false, null);
        try (LDAPConnection c = connect()) {
            BindResult ok = c.bind(new SimpleBindRequest("uid=alice,ou=people," + BASE, "alice-secret", ppolicy));
            assertThat(ok.getResultCode()).isEqualTo(ResultCode.SUCCESS);
            BindResult sha = c.bind(new SimpleBindRequest("uid=bob,ou=people," + BASE, "bob-secret", ppolicy));
            assertThat(sha.getResultCode()).isEqualTo(ResultCode.SUCCESS);
        }
        LDAPException wrong = bindFailure("uid=alice,ou=people," + BASE, "wrong");
        LDAPException suspended = bindFailure("uid=carol,ou=people," + BASE, "carol-secret");
        LDAPException pending = bindFailure("uid=erin,ou=people," + BASE, "erin-secret");
        LDAPException unknown = bindFailure("uid=mallory,ou=people," + BASE, "whatever");
        for (LDAPException e : List.of(wrong, suspended, pending, unknown)) {
            assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(e.getDiagnosticMessage()).isEqualTo(wrong.getDiagnosticMessage());
        }
        assertThat(gw.audit).anySatisfy(a -> {
            assertThat(a.principal()).contains("carol");
            assertThat(a.reason()).isEqualTo("account suspended");
            assertThat(a.outcome()).isEqualTo(BindOutcome.INVALID_CREDENTIALS);
        });
        assertThat(gw.audit).anySatisfy(a -> assertThat(a.reason()).isEqualTo("unknown account"));
    }

    private LDAPException bindFailure(String dn, String password) {
        return org.junit.jupiter.api.Assertions.assertThrows(LDAPException.class, () -> {
            try (LDAPConnection c = connect()) {
                c.bind(dn, password);
            }
        });
    }

    @Test
    void whoAmIReportsTheBoundIdentity() throws Exception {
        try (LDAPConnection c = connect()) {
            c.bind("uid=alice,ou=people," + BASE, "alice-secret");
            var who = (com.unboundid.ldap.sdk.extensions.WhoAmIExtendedResult)
                    c.processExtendedOperation(new com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest());
            assertThat(who.getAuthorizationID()).isEqualTo("dn:uid=alice,ou=people," + BASE);
        }
    }
}
