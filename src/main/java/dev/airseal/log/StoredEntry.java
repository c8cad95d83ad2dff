package dev.airseal.log;

import java.util.List;

/**
 * One log entry as stored: the canonical body whose leaf hash is in the tree, the time it was
 * integrated (seconds), and the signed entry timestamp issued for it.
 */
public record StoredEntry(
    long index,
    byte[] leafHash,
    long integratedTime,
    String kind,
    String apiVersion,
    byte[] body,
    byte[] signedEntryTimestamp,
    List<String> indexKeys) {}
