/**
 * The read-only web adapter (Javalin and jte): gallery, live queue, job, contest and decode pages, health checks and
 * Prometheus metrics.
 */
package dev.vqclip.web;
