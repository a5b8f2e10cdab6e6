/**
 * Kubernetes Events on the objects the webhook has something to say about. It may import fabric8 and CDI; nothing
 * of the webhook.
 */
package io.ocimirror.events;
