/**
 * The webhook process's own settings ({@code oci-mirror.*}, a SmallRye {@code @ConfigMapping} with defaults and
 * units), read by every edge package. It imports nothing of the webhook.
 */
package io.ocimirror.settings;
