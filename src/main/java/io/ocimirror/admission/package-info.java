/**
 * The webhook contract: {@link io.ocimirror.admission.AdmissionWebhook} decodes an AdmissionReview, dispatches it to
 * the {@link io.ocimirror.admission.AdmissionHandler} of its kind (Pods, Greenhouse plugin definitions), guards
 * against the unexpected and encodes the answer with targeted {@code test}+{@code replace} JSON Patches; the
 * {@link io.ocimirror.admission.Rewriter} applies the rewrite rule and the gate per reference. It may import
 * {@code reference}, {@code config}, {@code rewrite}, {@code greenhouse} (the router) and {@code settings}, and
 * CDI, Jackson and Micrometer; never {@code replication}, {@code configstore}'s sources or {@code web}. HTTP is
 * {@code web}'s.
 */
package io.ocimirror.admission;
