package io.squall.examples.device;

/**
 * One reading of the device, as published and returned by {@code readings}.
 *
 * @param seq the reading's number, from 1
 * @param exposureMs the exposure it was taken with
 * @param value what the device measured (a wavelength in nm, for the meter this simulates)
 * @param tookMs how long the blocking read took
 */
public record Reading(long seq, int exposureMs, double value, long tookMs) {}
