package io.proxplane.ldap.directory;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.ReadOnlyEntry;

import java.util.Map;
import java.util.Set;

/**
 * One entry as served, with every attribute's values pre-normalised for equality (keyed by the
 * schema's canonical lower-case attribute name) so filters compare without re-normalising.
 */
public record ServedEntry(DN dn, ReadOnlyEntry entry, Kind kind, Map<String, Set<ASN1OctetString>> normalized) {

    public enum Kind { ROOT, CONTAINER, USER, GROUP, SERVICE }
}
