/**
 * The webhook process's own settings ({@code oci-mirror.*}, a SmallRye {@code @ConfigMapping} with defaults and
 * units), read by every edge package. It imports nothing of the webhook but {@code rewrite.RewriteMode}, the one
 * value a setting chooses from the core.
 */
package io.ocimirror.settings;
