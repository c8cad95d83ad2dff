package dev.airseal.admission;

import dev.airseal.policy.Policies;
import dev.airseal.policy.PolicyDocument;
import dev.airseal.policy.PolicyException;
import java.util.List;

/** Turns the documents of every source into one policy set, or refuses the whole set. */
@FunctionalInterface
public interface PolicyLoader {
  Policies load(List<PolicyDocument> docs) throws PolicyException;
}
