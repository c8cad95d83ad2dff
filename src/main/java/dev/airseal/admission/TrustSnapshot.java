package dev.airseal.admission;

import dev.airseal.trust.TrustedRoot;

/** The site's trust root as of one stored version (0: none yet, nothing verifies). */
public record TrustSnapshot(int version, TrustedRoot root) {}
