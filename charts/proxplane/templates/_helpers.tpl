{{/*
Names. Every object is "<fullname>-<component>" so that two releases in one namespace never
collide and `kubectl get all -l app.kubernetes.io/instance=<release>` lists one release.
*/}}
{{- define "proxplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "proxplane.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "<fullname>-<component>", cut so the result stays a valid 63-character name. */}}
{{- define "proxplane.componentName" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- printf "%s-%s" (include "proxplane.fullname" $root | trunc (int (sub 62 (len $component)))) $component | trimSuffix "-" }}
{{- end }}

{{- define "proxplane.chartLabel" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: stable across upgrades (Deployment selectors are immutable). */}}
{{- define "proxplane.selectorLabels" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
app.kubernetes.io/name: {{ include "proxplane.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ $component }}
{{- end }}

{{- define "proxplane.labels" -}}
{{- $root := index . 0 -}}
{{ include "proxplane.selectorLabels" . }}
helm.sh/chart: {{ include "proxplane.chartLabel" $root }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: proxplane
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels of chart-wide objects that belong to no component (CRDs). */}}
{{- define "proxplane.chartLabels" -}}
app.kubernetes.io/name: {{ include "proxplane.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ include "proxplane.chartLabel" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: proxplane
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Image reference: [registry/]repository[:tag][@digest]. The tag defaults to the chart's
appVersion; a digest, when given, pins the image whatever the tag says.
*/}}
{{- define "proxplane.image" -}}
{{- $root := index . 0 }}
{{- $image := index . 1 }}
{{- $registry := default $root.Values.global.imageRegistry $image.registry }}
{{- $ref := $image.repository }}
{{- if $registry }}{{ $ref = printf "%s/%s" $registry $ref }}{{ end }}
{{- $tag := default $root.Chart.AppVersion $image.tag }}
{{- if $tag }}{{ $ref = printf "%s:%s" $ref $tag }}{{ end }}
{{- if $image.digest }}{{ $ref = printf "%s@%s" $ref $image.digest }}{{ end }}
{{- $ref }}
{{- end }}

{{- define "proxplane.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The proxplane.io kinds the operator reconciles, with their resource plural and scope. RBAC is
derived from this table. chart-tests checks every entry against the CRD the operator build
generates (crds/<plural>.proxplane.io-v1.yml, symlinked at files/crds), so a kind added there
or a scope changed there fails the build until this table follows.
*/}}
{{- define "proxplane.kinds" -}}
- kind: Site
  plural: sites
  scope: Cluster
- kind: ExternalDomain
  plural: externaldomains
  scope: Cluster
- kind: Container
  plural: containers
  scope: Namespaced
- kind: ContainerService
  plural: containerservices
  scope: Namespaced
- kind: Pool
  plural: pools
  scope: Namespaced
- kind: User
  plural: users
  scope: Cluster
- kind: Group
  plural: groups
  scope: Cluster
- kind: DirectoryServiceAccount
  plural: directoryserviceaccounts
  scope: Cluster
{{- end }}

{{/* Plurals of the kinds with the given scope ("Cluster", "Namespaced" or "" for all), as a YAML list. */}}
{{- define "proxplane.plurals" -}}
{{- $root := index . 0 }}
{{- $scope := index . 1 }}
{{- $out := list }}
{{- range (include "proxplane.kinds" $root | fromYamlArray) }}
{{- if or (eq $scope "") (eq .scope $scope) }}{{ $out = append $out .plural }}{{ end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/*
The operator's rules on its own kinds, the verbs it uses (operator/ChartRbacIT checks them against
every API call its tests make): the objects get/list/watch/patch (finalizers are added and removed
with a patch), their status patch/update (update only for the status of an object being deleted).
Argument: list of plurals.
*/}}
{{- define "proxplane.kindRules" -}}
{{- $plurals := . }}
- apiGroups: ["proxplane.io"]
  resources:
{{- range $plurals }}
    - {{ . }}
{{- end }}
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["proxplane.io"]
  resources:
{{- range $plurals }}
    - {{ . }}/status
{{- end }}
  verbs: ["patch", "update"]
{{- end }}

{{/* Secrets (Proxmox credentials, TLS sources, user passwords) in one namespace or cluster-wide. */}}
{{- define "proxplane.secretRules" -}}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
{{- end }}

{{/*
Events (core/v1, created, never patched) in one namespace or cluster-wide. Events about namespaced
objects go to the object's namespace; about cluster-scoped ones (Sites, ExternalDomains, Users,
Groups) to `default`, the only namespace the API server accepts for them.
*/}}
{{- define "proxplane.eventRules" -}}
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/*
Registry connection of one component: the shared `registry` values overlaid with the
component's own `registry` block (so each component may log in as its own database role).
Argument: (list $root $componentValues). Returns YAML.
*/}}
{{- define "proxplane.registry" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $merged := mergeOverwrite (deepCopy $root.Values.registry) (deepCopy (default dict $component.registry)) }}
{{- $_ := required "registry.url is required: the JDBC URL of the proxplane registry, e.g. jdbc:postgresql://postgres.example:5432/proxplane" $merged.url }}
{{- $_ := required "registry.existingSecret is required: the name of a Secret holding the registry password (key registry.passwordKey)" $merged.existingSecret }}
{{- toYaml $merged }}
{{- end }}

{{/*
Pod-level security context. Defaults meet the "restricted" Pod Security Standard; the schema
refuses values that would leave it.
*/}}
{{- define "proxplane.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{- define "proxplane.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}

{{/* JAVA_TOOL_OPTIONS: container-aware heap plus the component's extra options. */}}
{{- define "proxplane.javaToolOptions" -}}
{{- $opts := list (printf "-XX:MaxRAMPercentage=%v" .jvmMaxRamPercentage) "-Djava.io.tmpdir=/tmp" -}}
{{- with .jvmOptions }}{{ $opts = concat $opts . }}{{ end -}}
- name: JAVA_TOOL_OPTIONS
  value: {{ join " " $opts | quote }}
{{- end }}

{{/* Scheduling fields shared by every workload. Argument: component values. */}}
{{- define "proxplane.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end }}

{{/*
Spread a component's replicas over nodes unless the user chose their own topology spread.
Argument: (list $root $component $values).
*/}}
{{- define "proxplane.defaultSpread" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $values := index . 2 }}
{{- if and (not $values.topologySpreadConstraints) (gt (int $values.replicas) 1) }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "proxplane.selectorLabels" (list $root $component) | nindent 8 }}
{{- end }}
{{- end }}

{{- define "proxplane.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "proxplane.componentName" (list . "operator")) .Values.operator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "proxplane.ldap.serviceAccountName" -}}
{{- if .Values.ldap.serviceAccount.create }}
{{- default (include "proxplane.componentName" (list . "ldap")) .Values.ldap.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.ldap.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "proxplane.edge.serviceAccountName" -}}
{{- if .Values.edge.serviceAccount.create }}
{{- default (include "proxplane.componentName" (list . "edge")) .Values.edge.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.edge.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Namespace of the leader-election Lease. */}}
{{- define "proxplane.operator.leaseNamespace" -}}
{{- default .Release.Namespace .Values.operator.leaderElection.namespace }}
{{- end }}

{{/* Name of the LDAP gateway's TLS Secret. */}}
{{- define "proxplane.ldap.tlsSecret" -}}
{{- if .Values.ldap.tls.certManager.enabled }}
{{- include "proxplane.componentName" (list . "ldap-tls") }}
{{- else }}
{{- required "ldap.tls.secretName is required (a kubernetes.io/tls Secret), or set ldap.tls.certManager.enabled: password binds need TLS" .Values.ldap.tls.secretName }}
{{- end }}
{{- end }}
