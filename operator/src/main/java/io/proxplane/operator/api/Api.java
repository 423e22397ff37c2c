package io.proxplane.operator.api;

/** The API group and version every proxplane kind is served under. */
public final class Api {
    public static final String GROUP = "proxplane.io";
    public static final String VERSION = "v1alpha1";

    private Api() {
    }
}
