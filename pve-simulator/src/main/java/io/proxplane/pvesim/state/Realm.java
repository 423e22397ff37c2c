package io.proxplane.pvesim.state;

/** An authentication domain (pam, pve, ldap, ad, openid). */
public record Realm(String realm, String type, String comment) {}
