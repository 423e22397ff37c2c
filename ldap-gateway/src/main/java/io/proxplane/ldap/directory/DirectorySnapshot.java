package io.proxplane.ldap.directory;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ReadOnlyEntry;
import com.unboundid.util.StaticUtils;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An immutable, fully built view of the directory: every entry pre-rendered and indexed. Searches run
 * only against a snapshot, so they never wait on the database; refresh builds a new one and swaps it.
 */
public final class DirectorySnapshot {
    /** Attributes with an equality index: the ones SSSD and nslcd filter on. */
    static final Set<String> INDEXED = Set.of("uid", "uidnumber", "gidnumber", "cn", "memberuid", "member",
            "memberof", "mail", "objectclass");

    private final DirectoryLayout layout;
    private final List<ServedEntry> entries;
    private final Map<DN, Integer> positionByDn;
    private final Map<String, Map<ASN1OctetString, int[]>> index;
    private final Map<String, DirectoryUser> usersByUid;
    private final Map<String, ServiceAccount> servicesByName;
    private final Instant loadedAt;
    private final long generation;
    private final int groupCount;

    private DirectorySnapshot(DirectoryLayout layout, List<ServedEntry> entries, Map<String, DirectoryUser> users,
                              Map<String, ServiceAccount> services, Instant loadedAt, long generation, int groupCount) {
        this.layout = layout;
        this.entries = List.copyOf(entries);
        this.usersByUid = Map.copyOf(users);
        this.servicesByName = Map.copyOf(services);
        this.loadedAt = loadedAt;
        this.generation = generation;
        this.groupCount = groupCount;
        Map<DN, Integer> byDn = new HashMap<>();
        Map<String, Map<ASN1OctetString, List<Integer>>> building = new HashMap<>();
        for (int i = 0; i < this.entries.size(); i++) {
            ServedEntry e = this.entries.get(i);
            byDn.put(e.dn(), i);
            for (Map.Entry<String, Set<ASN1OctetString>> attr : e.normalized().entrySet()) {
                if (!INDEXED.contains(attr.getKey())) continue;
                Map<ASN1OctetString, List<Integer>> postings = building.computeIfAbsent(attr.getKey(), k -> new HashMap<>());
                for (ASN1OctetString v : attr.getValue()) postings.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
            }
        }
        this.positionByDn = Map.copyOf(byDn);
        Map<String, Map<ASN1OctetString, int[]>> idx = new HashMap<>();
        building.forEach((attr, postings) -> {
            Map<ASN1OctetString, int[]> m = new HashMap<>();
            postings.forEach((v, list) -> m.put(v, list.stream().mapToInt(Integer::intValue).toArray()));
            idx.put(attr, m);
        });
        this.index = idx;
    }

    /** An empty directory (just the suffix and its containers), served until the first load succeeds. */
    public static DirectorySnapshot empty(DirectoryLayout layout) {
        return build(new DirectoryData(List.of(), List.of(), List.of()), layout, Instant.EPOCH, 0);
    }

    public static DirectorySnapshot build(DirectoryData data, DirectoryLayout layout, Instant loadedAt, long generation) {
        GatewaySchema schema = GatewaySchema.get();
        List<ServedEntry> out = new ArrayList<>();
        Instant newest = Instant.EPOCH;
        for (DirectoryUser u : data.users()) if (u.modifiedAt().isAfter(newest)) newest = u.modifiedAt();

        out.add(served(schema, baseEntry(layout.base()), ServedEntry.Kind.ROOT, Instant.EPOCH));
        out.add(served(schema, container(layout.people(), "people"), ServedEntry.Kind.CONTAINER, Instant.EPOCH));

        Map<String, DirectoryUser> users = new TreeMap<>();
        for (DirectoryUser u : data.users()) {
            if (users.put(u.uid(), u) != null) throw new IllegalArgumentException("duplicate uid " + u.uid());
        }
        List<DirectoryGroup> groups = new ArrayList<>(data.groups());
        Set<Long> gids = new HashSet<>();
        Set<String> groupNames = new HashSet<>();
        for (DirectoryGroup g : groups) {
            if (!groupNames.add(g.name())) throw new IllegalArgumentException("duplicate group name " + g.name());
            gids.add(g.gidNumber());
        }
        if (layout.userPrivateGroups()) {
            for (DirectoryUser u : users.values()) {
                // A private group only where it would not shadow a real group's name or gid (the
                // registry refuses both since V9; older rows and directory files may still clash).
                if (!gids.contains(u.privateGid()) && !groupNames.contains(u.uid())) {
                    groups.add(new DirectoryGroup(u.uid(), u.privateGid(), new TreeSet<>(), u.modifiedAt()));
                    gids.add(u.privateGid());
                    groupNames.add(u.uid());
                }
            }
        }
        groups.sort(Comparator.comparing(DirectoryGroup::name));

        Map<String, List<String>> memberOf = new HashMap<>();
        for (DirectoryGroup g : groups) {
            String groupDn = layout.groupDn(g.name()).toString();
            for (String m : g.memberUids()) memberOf.computeIfAbsent(m, k -> new ArrayList<>()).add(groupDn);
        }

        for (DirectoryUser u : users.values()) {
            out.add(served(schema, userEntry(layout, u, memberOf.getOrDefault(u.uid(), List.of())), ServedEntry.Kind.USER,
                    u.modifiedAt()));
        }
        out.add(served(schema, container(layout.groups(), "groups"), ServedEntry.Kind.CONTAINER, Instant.EPOCH));
        for (DirectoryGroup g : groups) {
            out.add(served(schema, groupEntry(layout, g), ServedEntry.Kind.GROUP, g.modifiedAt()));
        }
        Map<String, ServiceAccount> services = new TreeMap<>();
        for (ServiceAccount s : data.serviceAccounts()) services.put(s.name(), s);
        if (!services.isEmpty()) {
            out.add(served(schema, container(layout.services(), "services"), ServedEntry.Kind.CONTAINER, Instant.EPOCH));
            for (ServiceAccount s : services.values()) {
                Entry e = new Entry(layout.serviceDn(s.name()));
                e.addAttribute("objectClass", "top", "account");
                e.addAttribute("uid", s.name());
                out.add(served(schema, e, ServedEntry.Kind.SERVICE, Instant.EPOCH));
            }
        }
        return new DirectorySnapshot(layout, out, users, services, loadedAt, generation, groups.size());
    }

    private static Entry baseEntry(DN base) {
        Entry e = new Entry(base);
        RDN rdn = base.getRDN();
        String attr = rdn.getAttributeNames()[0];
        String value = rdn.getAttributeValues()[0];
        switch (attr.toLowerCase()) {
            case "dc" -> {
                e.addAttribute("objectClass", "top", "domain");
                e.addAttribute("dc", value);
            }
            case "o" -> {
                e.addAttribute("objectClass", "top", "organization");
                e.addAttribute("o", value);
            }
            case "ou" -> {
                e.addAttribute("objectClass", "top", "organizationalUnit");
                e.addAttribute("ou", value);
            }
            default -> {
                e.addAttribute("objectClass", "top", "extensibleObject");
                e.addAttribute(attr, value);
            }
        }
        return e;
    }

    private static Entry container(DN dn, String ou) {
        Entry e = new Entry(dn);
        e.addAttribute("objectClass", "top", "organizationalUnit");
        e.addAttribute("ou", ou);
        return e;
    }

    private static Entry userEntry(DirectoryLayout layout, DirectoryUser u, List<String> memberOf) {
        Entry e = new Entry(layout.userDn(u.uid()));
        e.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson", "posixAccount",
                "shadowAccount", "ldapPublicKey");
        e.addAttribute("uid", u.uid());
        e.addAttribute("cn", u.commonName());
        e.addAttribute("sn", u.surname() == null || u.surname().isBlank() ? u.uid() : u.surname());
        if (u.givenName() != null && !u.givenName().isBlank()) e.addAttribute("givenName", u.givenName());
        if (u.displayName() != null && !u.displayName().isBlank()) e.addAttribute("displayName", u.displayName());
        if (u.mail() != null && !u.mail().isBlank()) e.addAttribute("mail", u.mail());
        e.addAttribute("uidNumber", Long.toString(u.uidNumber()));
        e.addAttribute("gidNumber", Long.toString(u.gidNumber()));
        e.addAttribute("gecos", asciiGecos(u.commonName()));
        e.addAttribute("homeDirectory", u.homeDirectory());
        e.addAttribute("loginShell", u.loginShell());
        if (u.passwordChangedAt() != null) {
            e.addAttribute("shadowLastChange", Long.toString(u.passwordChangedAt().getEpochSecond() / 86400));
        }
        if (!u.status().mayBind()) {
            // Expired in the past: nslcd/SSSD shadow account checks refuse the login too.
            e.addAttribute("shadowExpire", "1");
        }
        if (!u.sshPublicKeys().isEmpty()) e.addAttribute("sshPublicKey", u.sshPublicKeys());
        if (!memberOf.isEmpty()) e.addAttribute("memberOf", memberOf);
        return e;
    }

    /** gecos is IA5 (ASCII); non-ASCII letters are replaced rather than producing an invalid value. */
    private static String asciiGecos(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        return sb.toString();
    }

    private static Entry groupEntry(DirectoryLayout layout, DirectoryGroup g) {
        Entry e = new Entry(layout.groupDn(g.name()));
        List<String> classes = new ArrayList<>(List.of("top", "posixGroup"));
        // groupOfNames requires at least one member; empty groups are posixGroup only.
        if (!g.memberUids().isEmpty()) classes.add("groupOfNames");
        e.addAttribute("objectClass", classes);
        e.addAttribute("cn", g.name());
        e.addAttribute("gidNumber", Long.toString(g.gidNumber()));
        if (!g.memberUids().isEmpty()) {
            e.addAttribute("memberUid", g.memberUids());
            List<String> members = new ArrayList<>();
            for (String m : g.memberUids()) members.add(layout.userDn(m).toString());
            e.addAttribute("member", members);
        }
        return e;
    }

    private static ServedEntry served(GatewaySchema schema, Entry e, ServedEntry.Kind kind, Instant modified) {
        String time = StaticUtils.encodeGeneralizedTime(Date.from(modified));
        e.addAttribute("entryDN", e.getDN());
        e.addAttribute("entryUUID", UUID.nameUUIDFromBytes(parsedDn(e).toNormalizedString()
                .getBytes(StandardCharsets.UTF_8)).toString());
        e.addAttribute("structuralObjectClass", switch (kind) {
            case ROOT -> e.getObjectClassValues()[1];
            case CONTAINER -> "organizationalUnit";
            case USER -> "inetOrgPerson";
            case GROUP -> e.hasObjectClass("groupOfNames") ? "groupOfNames" : "posixGroup";
            case SERVICE -> "account";
        });
        e.addAttribute("subschemaSubentry", "cn=Subschema");
        e.addAttribute("hasSubordinates", kind == ServedEntry.Kind.ROOT || kind == ServedEntry.Kind.CONTAINER ? "TRUE" : "FALSE");
        e.addAttribute("createTimestamp", time);
        e.addAttribute("modifyTimestamp", time);
        return new ServedEntry(parsedDn(e), new ReadOnlyEntry(e), kind, normalize(schema, e));
    }

    /** The entry's DN; entries here are built from DN objects, so parsing cannot fail. */
    public static DN parsedDn(Entry e) {
        try {
            return e.getParsedDN();
        } catch (LDAPException ex) {
            throw new IllegalStateException("entry with an invalid DN: " + e.getDN(), ex);
        }
    }

    /** Equality-normalised values of an entry, as filters compare them. */
    public static Map<String, Set<ASN1OctetString>> normalizeEntry(Entry e) {
        return normalize(GatewaySchema.get(), e);
    }

    static Map<String, Set<ASN1OctetString>> normalize(GatewaySchema schema, Entry e) {
        Map<String, Set<ASN1OctetString>> out = new HashMap<>();
        for (Attribute a : e.getAttributes()) {
            GatewaySchema.AttributeInfo info = schema.attribute(a.getName());
            if (info == null || info.equality() == null) continue;
            Set<ASN1OctetString> values = out.computeIfAbsent(info.key(), k -> new LinkedHashSet<>());
            for (ASN1OctetString v : a.getRawValues()) {
                try {
                    values.add(info.equality().normalize(v));
                } catch (LDAPException ignored) {
                    // A value the syntax rejects can never match an assertion; leave it out.
                }
            }
        }
        return Map.copyOf(out);
    }

    public DirectoryLayout layout() {
        return layout;
    }

    public List<ServedEntry> entries() {
        return entries;
    }

    public ServedEntry entry(DN dn) {
        Integer i = positionByDn.get(dn);
        return i == null ? null : entries.get(i);
    }

    public int position(DN dn) {
        Integer i = positionByDn.get(dn);
        return i == null ? -1 : i;
    }

    /** Positions of entries whose indexed attribute equals the normalised value; null if the attribute has no index. */
    public int[] lookup(String attributeKey, ASN1OctetString normalizedValue) {
        Map<ASN1OctetString, int[]> postings = index.get(attributeKey);
        if (postings == null) return INDEXED.contains(attributeKey) ? new int[0] : null;
        int[] hit = postings.get(normalizedValue);
        return hit == null ? new int[0] : hit;
    }

    public boolean isIndexed(String attributeKey) {
        return INDEXED.contains(attributeKey);
    }

    public DirectoryUser user(String uid) {
        return usersByUid.get(uid);
    }

    public ServiceAccount serviceAccount(String name) {
        return servicesByName.get(name);
    }

    public int userCount() {
        return usersByUid.size();
    }

    public int groupCount() {
        return groupCount;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public long generation() {
        return generation;
    }
}
