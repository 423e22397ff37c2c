package io.proxplane.core.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TenancyTest {
    @Test
    void theTenantIsTheWorkspaceTheNamespaceOrTheClusterScope() {
        assertThat(Tenancy.sameTenant("terraform:prod", "terraform:prod")).isTrue();
        assertThat(Tenancy.sameTenant("terraform:prod", "terraform:other")).isFalse();
        assertThat(Tenancy.sameTenant("k8s:team-a/web1", "k8s:team-a/web1-http")).isTrue();
        assertThat(Tenancy.sameTenant("k8s:team-a/web1", "k8s:team-b/web1")).isFalse();
        assertThat(Tenancy.sameTenant("k8s:cluster/user/alice", "k8s:cluster/group/devs")).isTrue();
        // a namespace called "cluster" (one slash) is not the cluster scope (two slashes)
        assertThat(Tenancy.sameTenant("k8s:cluster/web1", "k8s:cluster/group/devs")).isFalse();
        assertThat(Tenancy.sameTenant("k8s:team-a/web1", "terraform:team-a")).isFalse();
        assertThat(Tenancy.sameTenant("terraform:k8s", "k8s:terraform/x")).isFalse();
    }
}
