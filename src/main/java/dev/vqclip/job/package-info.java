/**
 * Jobs and their scheduler: admission, start-time fair queuing, leases and heartbeats, the {@code Worker}, results and
 * timelapses, behind the {@code JobStore} port.
 */
package dev.vqclip.job;
