/**
 * The reference grammar of distribution/reference, as containerd and the kubelet read it: the immutable
 * {@link io.ocimirror.reference.ImageReference} with its strict parser, normaliser and formatter, OCI chart
 * repositories ({@code oci://}), and the typed {@link io.ocimirror.reference.InvalidReferenceException}. The core of
 * the core: it imports only the JDK.
 */
package io.ocimirror.reference;
