package io.proxplane.terraform.diag;

import java.util.Objects;

/**
 * A message for the user. Only diagnostics reach a Terraform user (stderr is hidden unless
 * TF_LOG is set), so every failure that matters becomes one; {@code path} lets Terraform point at
 * the configuration line.
 */
public record Diagnostic(Severity severity, String summary, String detail, AttributePath path) {

    public enum Severity { ERROR, WARNING }

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        detail = detail == null ? "" : detail;
    }

    public static Diagnostic error(String summary, String detail) {
        return new Diagnostic(Severity.ERROR, summary, detail, null);
    }

    public static Diagnostic error(AttributePath path, String summary, String detail) {
        return new Diagnostic(Severity.ERROR, summary, detail, path);
    }

    public static Diagnostic warning(AttributePath path, String summary, String detail) {
        return new Diagnostic(Severity.WARNING, summary, detail, path);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
