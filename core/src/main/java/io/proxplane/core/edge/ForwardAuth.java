package io.proxplane.core.edge;

import io.proxplane.core.model.HeaderName;
import io.proxplane.core.model.HttpUrl;
import io.proxplane.core.model.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How nginx asks an external domain's auth server whether a request to a protected service may
 * pass ({@code auth_request}), where it sends people who must sign in, which identity headers it
 * copies to the backend, and how long it caches the answers. Built from the domain's auth server
 * URL and its {@link Settings}: a preset names one of the layouts of the auth servers people run;
 * explicit settings override the preset's parts.
 *
 * <ul>
 *   <li>{@code proxplane}: {@code <url>/verify} (2xx or 401), sign-in {@code <url>/login?redirect=};</li>
 *   <li>{@code oauth2-proxy}: {@code <url>/oauth2/auth} (202/401/403); {@code /oauth2/} on the
 *       service's own host is proxied to oauth2-proxy (start, callback), sign-in
 *       {@code https://<host>/oauth2/start?rd=}; {@code X-Auth-Request-*} headers;</li>
 *   <li>{@code authelia}: {@code <url>/api/authz/auth-request} with {@code X-Original-URL} and
 *       {@code X-Original-Method}; a 401 carries the portal URL in {@code Location}, which nginx
 *       redirects to; {@code Remote-*} headers;</li>
 *   <li>{@code authentik}: {@code <url>/outpost.goauthentik.io/auth/nginx}; the outpost path on
 *       the service's host is proxied to authentik without auth, sign-in
 *       {@code https://<host>/outpost.goauthentik.io/start?rd=}; {@code X-authentik-*} headers.</li>
 * </ul>
 *
 * @param passThrough a path on the service's host proxied to the auth server without auth
 */
public record ForwardAuth(Preset preset, HttpUrl verifyUrl, SignIn signIn, String redirectParameter,
        List<HeaderName> identityHeaders, Optional<PassThrough> passThrough, Duration cacheAllow, Duration cacheDeny) {

    public static final Duration DEFAULT_CACHE_ALLOW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CACHE_DENY = Duration.ofSeconds(30);
    static final Duration MAX_CACHE = Duration.ofHours(1);

    public enum Preset {
        PROXPLANE("proxplane", "/verify", List.of("X-User-ID", "X-Username", "X-User-First-Name", "X-User-Last-Name", "X-Email",
                "X-Groups")),
        OAUTH2_PROXY("oauth2-proxy", "/oauth2/auth", List.of("X-Auth-Request-User", "X-Auth-Request-Groups",
                "X-Auth-Request-Email", "X-Auth-Request-Preferred-Username")),
        AUTHELIA("authelia", "/api/authz/auth-request", List.of("Remote-User", "Remote-Groups", "Remote-Name", "Remote-Email")),
        AUTHENTIK("authentik", "/outpost.goauthentik.io/auth/nginx", List.of("X-authentik-username", "X-authentik-groups",
                "X-authentik-entitlements", "X-authentik-email", "X-authentik-name", "X-authentik-uid"));

        private final String id;
        private final String verifyPath;
        private final List<HeaderName> headers;

        Preset(String id, String verifyPath, List<String> headers) {
            this.id = id;
            this.verifyPath = verifyPath;
            this.headers = headers.stream().map(HeaderName::new).toList();
        }

        public String id() {
            return id;
        }

        public List<HeaderName> headers() {
            return headers;
        }

        public static Preset of(String field, String raw) {
            for (Preset p : values()) {
                if (p.id.equals(raw)) {
                    return p;
                }
            }
            throw new ValidationException(field, "must be one of proxplane, oauth2-proxy, authelia, authentik; got "
                    + ValidationException.show(raw));
        }
    }

    /** Where a 401 sends the browser; the original URL is appended as {@code ?<redirectParameter>=}. */
    public sealed interface SignIn {
        /** An absolute URL. */
        record At(HttpUrl url) implements SignIn {}

        /** A path on the protected service's own host (the auth server's paths proxied there). */
        record OnHost(String path) implements SignIn {}

        /** The {@code Location} header of the auth server's 401 answer (Authelia's AuthRequest). */
        record FromAnswer() implements SignIn {}
    }

    /** {@code location ^~ <path>} on protected hosts, proxied to {@code target} without auth. */
    public record PassThrough(String path, HttpUrl target) {}

    /**
     * What the front doors and the registry hold ({@code forwardAuth} / {@code forward_auth});
     * every field optional.
     */
    public record Settings(String preset, String verifyUrl, String signInUrl, String redirectParameter,
            List<String> identityHeaders, Integer cacheAllowSeconds, Integer cacheDenySeconds) {
        public static final Settings NONE = new Settings(null, null, null, null, null, null, null);

        public boolean isEmpty() {
            return equals(NONE);
        }
    }

    public ForwardAuth {
        EdgeSnapshot.required("forwardAuth.preset", preset);
        EdgeSnapshot.required("forwardAuth.verifyUrl", verifyUrl);
        EdgeSnapshot.required("forwardAuth.signIn", signIn);
        EdgeSnapshot.required("forwardAuth.redirectParameter", redirectParameter);
        identityHeaders = List.copyOf(EdgeSnapshot.required("forwardAuth.identityHeaders", identityHeaders));
        EdgeSnapshot.required("forwardAuth.passThrough", passThrough);
        if (!redirectParameter.matches("[A-Za-z0-9_]{1,32}")) {
            throw new ValidationException("forwardAuth.redirectParameter", "must be 1-32 characters [A-Za-z0-9_]; got "
                    + ValidationException.show(redirectParameter));
        }
        for (Duration d : List.of(cacheAllow, cacheDeny)) {
            if (d.isNegative() || d.compareTo(MAX_CACHE) > 0 || d.getNano() != 0) {
                throw new ValidationException("forwardAuth.cache", "must be whole seconds from 0 to 3600; got " + d);
            }
        }
    }

    public boolean caches() {
        return !cacheAllow.isZero() || !cacheDeny.isZero();
    }

    /**
     * @param prefix    field path for errors, e.g. {@code forwardAuth}
     * @param serverUrl the domain's auth server base URL ({@code authServerUrl})
     */
    public static ForwardAuth of(String prefix, String urlField, String serverUrl, Settings s) {
        HttpUrl base = HttpUrl.of(urlField, serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl);
        Preset preset = s.preset() == null ? Preset.PROXPLANE : Preset.of(prefix + ".preset", s.preset());
        HttpUrl verify = s.verifyUrl() != null ? HttpUrl.of(prefix + ".verifyUrl", s.verifyUrl())
                : HttpUrl.of(urlField, base + preset.verifyPath);
        Optional<PassThrough> passThrough = switch (preset) {
            case OAUTH2_PROXY -> Optional.of(new PassThrough("/oauth2/", HttpUrl.of(urlField, base + "/oauth2/")));
            case AUTHENTIK -> Optional.of(new PassThrough("/outpost.goauthentik.io/", HttpUrl.of(urlField,
                    base + "/outpost.goauthentik.io/")));
            default -> Optional.empty();
        };
        SignIn signIn;
        if (s.signInUrl() != null) {
            signIn = new SignIn.At(HttpUrl.of(prefix + ".signInUrl", s.signInUrl()));
        } else {
            signIn = switch (preset) {
                case PROXPLANE -> new SignIn.At(HttpUrl.of(urlField, base + "/login"));
                case OAUTH2_PROXY -> new SignIn.OnHost("/oauth2/start");
                case AUTHELIA -> new SignIn.FromAnswer();
                case AUTHENTIK -> new SignIn.OnHost("/outpost.goauthentik.io/start");
            };
        }
        String parameter = s.redirectParameter() != null ? s.redirectParameter() : preset == Preset.PROXPLANE ? "redirect" : "rd";
        List<HeaderName> headers = preset.headers();
        if (s.identityHeaders() != null) {
            if (s.identityHeaders().size() > 32) {
                throw new ValidationException(prefix + ".identityHeaders", "must list at most 32 headers");
            }
            List<HeaderName> own = new ArrayList<>();
            for (int i = 0; i < s.identityHeaders().size(); i++) {
                HeaderName h = HeaderName.of(prefix + ".identityHeaders[" + i + "]", s.identityHeaders().get(i));
                if (Reserved.contains(h)) {
                    throw new ValidationException(prefix + ".identityHeaders[" + i + "]", h.value()
                            + " is set by the edge itself and cannot carry identity");
                }
                own.add(h);
            }
            headers = own;
        }
        Duration allow = seconds(prefix + ".cacheAllowSeconds", s.cacheAllowSeconds(), DEFAULT_CACHE_ALLOW);
        Duration deny = seconds(prefix + ".cacheDenySeconds", s.cacheDenySeconds(), DEFAULT_CACHE_DENY);
        return new ForwardAuth(preset, verify, signIn, parameter, headers, passThrough, allow, deny);
    }

    private static Duration seconds(String field, Integer value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 0 || value > MAX_CACHE.toSeconds()) {
            throw new ValidationException(field, "must be 0 (no caching) to 3600 seconds; got " + value);
        }
        return Duration.ofSeconds(value);
    }

    /** Headers the edge sets on every proxied request; an auth server cannot supply them. */
    static final class Reserved {
        private static final List<String> NAMES = List.of("host", "x-real-ip", "x-forwarded-for", "x-forwarded-proto",
                "x-forwarded-host", "x-forwarded-port", "upgrade", "connection", "content-length", "set-cookie", "cookie",
                "location");

        static boolean contains(HeaderName h) {
            return NAMES.contains(h.value().toLowerCase(Locale.ROOT));
        }
    }
}
