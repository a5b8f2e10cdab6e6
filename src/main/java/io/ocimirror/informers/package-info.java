/**
 * What the rooms that watch Kubernetes objects share of fabric8's informers. It may import fabric8; nothing of the
 * webhook.
 */
package io.ocimirror.informers;
