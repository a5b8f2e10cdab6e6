/**
 * Warm ahead: replication of the images a workload's next Pods will use, as soon as its template is created or its
 * images change, before any Pod exists. Watches Namespaces labelled {@code oci-mirror.io/enabled} ({@code true} or
 * {@code observe}, the namespaces the MutatingWebhookConfiguration selects) and, in each, Deployments, StatefulSets,
 * DaemonSets, ReplicaSets, Jobs and CronJobs through informers of that namespace only, so that objects of other
 * namespaces are never listed. Templates are only read, never patched. The Pod a template makes goes through the
 * admission decision ({@code admission.PodHandler}) so exclusions, pull policies, platforms and de-duplication apply
 * as at admission; the replication requests go to {@code rewrite.ReplicationScheduler}.
 *
 * <p>May import {@code admission}, {@code config}, {@code greenhouse}, {@code rewrite}, fabric8 and Quarkus.
 */
package io.ocimirror.warmahead;
