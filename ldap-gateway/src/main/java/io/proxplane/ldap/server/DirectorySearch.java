package io.proxplane.ldap.server;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchScope;
import io.proxplane.ldap.directory.DirectorySnapshot;
import io.proxplane.ldap.directory.ServedEntry;
import io.proxplane.ldap.filter.CompiledFilter;
import io.proxplane.ldap.filter.Tri;

import java.util.function.IntPredicate;

/** Finds the entries of a snapshot within a base and scope that a compiled filter makes TRUE. */
final class DirectorySearch {
    /** Raised when the search runs past its deadline. */
    static final class TimeLimitExceeded extends Exception {
        TimeLimitExceeded() {
            super(null, null, false, false);
        }
    }

    private DirectorySearch() {
    }

    /**
     * Calls {@code consumer} with the position of each match, in snapshot order, until it returns false.
     * The base entry must exist in the snapshot.
     */
    static void forEachMatch(DirectorySnapshot snapshot, DN base, SearchScope scope, CompiledFilter filter,
                             long deadlineNanos, IntPredicate consumer) throws TimeLimitExceeded {
        if (scope == SearchScope.BASE) {
            int pos = snapshot.position(base);
            if (pos >= 0 && filter.evaluate(snapshot.entries().get(pos)) == Tri.TRUE) consumer.test(pos);
            return;
        }
        boolean wholeTree = scope == SearchScope.SUB && base.equals(snapshot.layout().base());
        int[] candidates = filter.candidates(snapshot);
        int n = candidates == null ? snapshot.entries().size() : candidates.length;
        for (int i = 0; i < n; i++) {
            if ((i & 255) == 255 && System.nanoTime() - deadlineNanos > 0) throw new TimeLimitExceeded();
            int pos = candidates == null ? i : candidates[i];
            ServedEntry e = snapshot.entries().get(pos);
            if (!wholeTree && !inScope(e.dn(), base, scope)) continue;
            if (filter.evaluate(e) != Tri.TRUE) continue;
            if (!consumer.test(pos)) return;
        }
    }

    private static boolean inScope(DN dn, DN base, SearchScope scope) {
        try {
            return dn.matchesBaseAndScope(base, scope);
        } catch (LDAPException e) {
            return false;
        }
    }
}
