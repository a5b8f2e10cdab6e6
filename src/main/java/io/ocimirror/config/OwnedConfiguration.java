package io.ocimirror.config;

/**
 * A configuration snapshot and who it belongs to: the owner decides whose credentials replication presents.
 *
 * @param owner    the webhook or an organisation
 * @param snapshot the snapshot in force for the owner when it was read
 */
public record OwnedConfiguration(ConfigurationOwner owner, MirrorConfiguration snapshot) {
}
