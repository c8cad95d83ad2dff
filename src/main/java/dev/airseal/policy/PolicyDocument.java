package dev.airseal.policy;

/** A policy file as read from its source (directory, API upload, imported bundle). */
public record PolicyDocument(String name, String source, String content) {}
