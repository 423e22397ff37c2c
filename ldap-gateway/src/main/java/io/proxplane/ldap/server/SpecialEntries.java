package io.proxplane.ldap.server;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ReadOnlyEntry;
import io.proxplane.ldap.directory.DirectoryLayout;
import io.proxplane.ldap.directory.GatewaySchema;
import io.proxplane.ldap.directory.ServedEntry;

import java.util.Map;

/** The RootDSE and the subschema entry; built once per gateway from its configuration. */
record SpecialEntries(ServedEntry rootDse, ServedEntry subschema, DN subschemaDn) {

    static final String PAGED_RESULTS = "1.2.840.113556.1.4.319";
    static final String START_TLS = "1.3.6.1.4.1.1466.20037";
    static final String PASSWORD_MODIFY = "1.3.6.1.4.1.4203.1.11.1";
    static final String WHO_AM_I = "1.3.6.1.4.1.4203.1.11.3";
    /** "+" in attribute lists (RFC 3673). */
    static final String FEATURE_ALL_OPERATIONAL = "1.3.6.1.4.1.4203.1.5.1";

    static SpecialEntries build(DirectoryLayout layout, boolean startTlsAvailable) {
        Entry root = new Entry("");
        root.addAttribute("objectClass", "top");
        root.addAttribute("namingContexts", layout.base().toString());
        root.addAttribute("defaultNamingContext", layout.base().toString());
        root.addAttribute("subschemaSubentry", "cn=Subschema");
        root.addAttribute("supportedLDAPVersion", "3");
        // Only what is implemented: SSSD pages only if it sees 1.2.840.113556.1.4.319 here, and uses
        // deref if advertised, which we do not implement.
        root.addAttribute("supportedControl", PAGED_RESULTS);
        root.addAttribute(startTlsAvailable
                ? new Attribute("supportedExtension", START_TLS, PASSWORD_MODIFY, WHO_AM_I)
                : new Attribute("supportedExtension", PASSWORD_MODIFY, WHO_AM_I));
        root.addAttribute("supportedFeatures", FEATURE_ALL_OPERATIONAL);
        root.addAttribute("vendorName", "proxplane");
        root.addAttribute("vendorVersion", "proxplane ldap-gateway");

        Entry schemaEntry = GatewaySchema.get().schema().getSchemaEntry().duplicate();
        DN subschemaDn;
        try {
            subschemaDn = new DN("cn=Subschema");
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
        schemaEntry.setDN(subschemaDn);
        schemaEntry.setAttribute("objectClass", "top", "subentry", "subschema", "extensibleObject");
        schemaEntry.setAttribute("cn", "Subschema");
        schemaEntry.setAttribute("structuralObjectClass", "subentry");
        return new SpecialEntries(served(root, ServedEntry.Kind.ROOT), served(schemaEntry, ServedEntry.Kind.ROOT), subschemaDn);
    }

    private static ServedEntry served(Entry e, ServedEntry.Kind kind) {
        Map<String, java.util.Set<com.unboundid.asn1.ASN1OctetString>> normalized =
                io.proxplane.ldap.directory.DirectorySnapshot.normalizeEntry(e);
        return new ServedEntry(io.proxplane.ldap.directory.DirectorySnapshot.parsedDn(e), new ReadOnlyEntry(e), kind, normalized);
    }
}
