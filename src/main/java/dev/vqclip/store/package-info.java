/**
 * The JDBC side of the ports (jobs, contests, mentions, showcase) on H2 or PostgreSQL, with Flyway migrations and the
 * database clock.
 */
package dev.vqclip.store;
