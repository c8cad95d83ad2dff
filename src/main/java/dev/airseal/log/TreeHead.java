package dev.airseal.log;

/** The log's latest state: tree ID, size, root and the signed checkpoint note that commits to it. */
public record TreeHead(long treeId, long size, byte[] root, String checkpoint, long timestamp) {}
