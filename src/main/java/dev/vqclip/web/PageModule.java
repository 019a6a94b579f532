package dev.vqclip.web;

import io.javalin.config.RoutesConfig;

/**
 * More read-only pages on the same server (the contest pages plug in here): a module adds its GET routes and renders
 * with the shared templates; the server's safety headers, path checks and error pages apply to it as well.
 */
public interface PageModule {
    void register(RoutesConfig routes, Templates templates);
}
