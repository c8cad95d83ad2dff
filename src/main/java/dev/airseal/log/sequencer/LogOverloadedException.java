package dev.airseal.log.sequencer;

/** The append queue is full or the sequencer is stopped; the caller may retry later. */
public class LogOverloadedException extends RuntimeException {
  public LogOverloadedException(String message) {
    super(message);
  }
}
