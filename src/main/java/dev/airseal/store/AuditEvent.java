package dev.airseal.store;

/** One audited decision or change: who did what to which subject, and how it ended. */
public record AuditEvent(
    long id, long at, String kind, String actor, String subject, String outcome, String detail) {}
