/**
 * Greenhouse organisations: the watch of every {@code Organization} and the ConfigMap it names, which feeds each
 * organisation's configuration into the {@code configstore} under its owner, and the router that picks the
 * configuration of an admission as Greenhouse does (by namespace, or the cluster organisation for
 * ClusterPluginDefinitions), with their readiness details. It may import {@code config}, {@code configstore},
 * {@code settings} and {@code events}, and Quarkus, CDI and fabric8; never {@code admission}, {@code replication} or
 * {@code web}.
 */
package io.ocimirror.greenhouse;
