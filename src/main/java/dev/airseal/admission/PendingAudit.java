package dev.airseal.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.store.AuditBatch;

/**
 * A decision's audit event as queued by the request: its detail still the tree the decision built.
 * The audit thread turns it into text ({@link #event}), so the event loop that answered the review
 * does not spend its time writing JSON nobody is waiting for. {@code detail} is not changed once
 * queued.
 */
record PendingAudit(long at, String kind, String actor, String subject, String outcome, JsonNode detail) {
  AuditBatch.Event event() {
    return new AuditBatch.Event(at, kind, actor, subject, outcome, detail.toString());
  }
}
