package dev.airseal.store;

/**
 * One audited decision or change: who did what to which subject, and how it ended. {@code id} is
 * the row's number, or {@code <pack>.<line>} for an event stored in a pack ({@link AuditPacks}).
 */
public record AuditEvent(
    String id, long at, String kind, String actor, String subject, String outcome, String detail) {}
