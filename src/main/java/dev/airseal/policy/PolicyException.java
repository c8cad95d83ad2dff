package dev.airseal.policy;

/**
 * A policy that cannot be loaded: malformed YAML, or a field we do not support. {@code path}
 * names the offending field ({@code spec.rules[0].verifyImages[0].attestors[0].entries[0].foo}),
 * so the operator can fix it; a policy is never half-applied.
 */
public final class PolicyException extends Exception {
  private final String document;
  private final String path;

  public PolicyException(String document, String path, String message) {
    super(document + (path.isEmpty() ? "" : ": " + path) + ": " + message);
    this.document = document;
    this.path = path;
  }

  public String document() {
    return document;
  }

  public String path() {
    return path;
  }
}
