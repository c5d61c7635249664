package dev.plumb.labeler.policy;

/** Lifecycle of a policy version. Only {@code ACTIVE} versions are used when no version is named. */
public enum PolicyStatus {
  DRAFT,
  ACTIVE,
  RETIRED;

  /** The spelling used in policy files: {@code draft}, {@code active}, {@code retired}. */
  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
