/**
 * The one home of the configurations in force: the {@link io.ocimirror.configstore.ConfigurationStore} keyed by
 * owner (the webhook's own, each Greenhouse organisation's), each entry with its snapshot, credentials and state; the
 * sources of the webhook's own configuration (a watched file or ConfigMap), the credential watches of every owner,
 * and the configuration metrics and Events. Organisations' sources live in {@code greenhouse} and feed the same
 * store. It may import {@code config}, {@code registry} (credentials), {@code settings} and {@code events}, and
 * Quarkus, CDI, fabric8 and Micrometer; never {@code admission}, {@code replication}, {@code greenhouse} or
 * {@code web}.
 */
package io.ocimirror.configstore;
