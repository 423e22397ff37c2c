package io.proxplane.pvesim.http;

/** The status line, JSON body and connection policy of one answer. */
public record HttpAnswer(int status, String reason, byte[] body, String contentType) {}
