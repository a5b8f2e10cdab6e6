{{/* The name of every object: the release name, or release-chart when the release name does not say what it is. */}}
{{- define "oci-mirror-webhook.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "oci-mirror-webhook.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "oci-mirror-webhook.labels" -}}
{{ include "oci-mirror-webhook.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "oci-mirror-webhook.configMapName" -}}
{{- .Values.existingConfigMap | default (printf "%s-config" (include "oci-mirror-webhook.fullname" .)) -}}
{{- end -}}

{{- define "oci-mirror-webhook.tlsSecretName" -}}
{{- printf "%s-tls" (include "oci-mirror-webhook.fullname" .) -}}
{{- end -}}

{{/*
The mirror configuration the chart writes into its ConfigMap, as YAML: mirrorConfig, with registryMirrors present
(empty: nothing is rewritten), the exclusions of deploy/base/mirror-config.yaml when it has no exclude, and
secretName from credentials.existingSecret.
*/}}
{{- define "oci-mirror-webhook.mirrorConfig" -}}
{{- $config := deepCopy .Values.mirrorConfig -}}
{{- if not (hasKey $config "registryMirrors") -}}
{{- $_ := set $config "registryMirrors" dict -}}
{{- end -}}
{{- if not (hasKey $config "exclude") -}}
{{- $_ := set $config "exclude" (dict "ownerApiGroups" (list "postgresql.cnpg.io" "asdb.aerospike.com")) -}}
{{- end -}}
{{- with .Values.credentials.existingSecret -}}
{{- if and (hasKey $config "secretName") (ne $config.secretName .) -}}
{{- fail (printf "mirrorConfig.secretName (%s) and credentials.existingSecret (%s) differ: set one of them" $config.secretName .) -}}
{{- end -}}
{{- $_ := set $config "secretName" . -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/* The credentials Secret the webhook may read: credentials.existingSecret, else mirrorConfig.secretName. */}}
{{- define "oci-mirror-webhook.credentialsSecretName" -}}
{{- .Values.credentials.existingSecret | default .Values.mirrorConfig.secretName | default "" -}}
{{- end -}}

{{/* Both webhooks' objectSelector: the opt-out label, and the terms of the objectSelector value. */}}
{{- define "oci-mirror-webhook.objectSelector" -}}
{{- with .Values.objectSelector.matchLabels }}
matchLabels:
  {{- toYaml . | nindent 2 }}
{{- end }}
matchExpressions:
  - key: oci-mirror.io/skip
    operator: NotIn
    values: ["true"]
  {{- with .Values.objectSelector.matchExpressions }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}
