package dev.airseal.log.sequencer;

import dev.airseal.log.StoredEntry;
import dev.airseal.log.TreeHead;
import dev.airseal.log.TreeSnapshot;

/** A durably integrated entry with the tree it was published in, for its inclusion proof. */
public record Appended(StoredEntry entry, TreeSnapshot tree, TreeHead head) {}
