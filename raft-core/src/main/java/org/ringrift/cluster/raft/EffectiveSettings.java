package org.ringrift.cluster.raft;

/**
 * Settings as the running Raft server holds them (read back from its properties), so a check
 * compares what is in force rather than what a config file intended.
 */
public record EffectiveSettings(String readOption, long grpcMessageMaxBytes, long appenderBufferBytes) {}
