-- Claims: which front-door resource holds an object. managed_by says which manager (a Terraform
-- workspace, a Kubernetes object) may change a row; claimed_by says which ONE resource of that
-- manager holds it (an opaque token: 'terraform:<uuid>' kept in the resource's private state,
-- 'k8s-uid:<uid>' of the custom resource). A second resource declaring the same object is refused
-- instead of silently taking it over; taking over is an explicit import/adoption.
-- Null = not claimed yet (rows written before V7 or by the engine's internal writes); the first
-- apply by a resource claims such a row.
alter table sites            add column claimed_by text;
alter table external_domains add column claimed_by text;
alter table pools            add column claimed_by text;
alter table containers       add column claimed_by text;
alter table services         add column claimed_by text;
alter table users            add column claimed_by text;
alter table groups           add column claimed_by text;
-- Memberships belong to the user's or group's resource and are never claimed on their own; the
-- column keeps every managed table's bookkeeping columns the same.
alter table memberships      add column claimed_by text;
