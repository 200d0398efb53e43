package org.ringrift.cluster.statemachine.features;

/**
 * This binary was asked to apply state it cannot apply: a feature level above what it supports,
 * or a store format it does not know. Not a rejection: the other nodes apply the entry, so this
 * node must stop applying (never skip it, never guess), and says why.
 */
public final class UnsupportedFeatureLevelException extends RuntimeException {
  public UnsupportedFeatureLevelException(String message) {
    super(message);
  }
}
