/**
 * The edge the world talks to: {@code POST /mutate} ({@link io.ocimirror.web.AdmissionRoute}, which owns HTTP),
 * readiness checks, metric buckets, certificate reloading, and the command line ({@code validate}). It may import
 * every other package of the webhook; none imports it.
 */
package io.ocimirror.web;
