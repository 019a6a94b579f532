package dev.vqclip.job;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store with injected faults: the next {@code n} calls of a named method throw as a lost database
 * connection would, and every other call goes through to the database.
 */
final class FaultyStore {
    private final JobStore real;
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();

    FaultyStore(JobStore real) {
        this.real = real;
    }

    /** The next {@code n} calls of {@code method} fail ({@link Integer#MAX_VALUE}: until {@link #heal}). */
    FaultyStore failNext(String method, int n) {
        failuresLeft.put(method, new AtomicInteger(n));
        return this;
    }

    void heal(String method) {
        failuresLeft.remove(method);
    }

    int failures(String method) {
        return failed.getOrDefault(method, new AtomicInteger()).get();
    }

    JobStore store() {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class},
                (proxy, method, args) -> {
                    AtomicInteger left = failuresLeft.get(method.getName());
                    if (left != null && left.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
                        failed.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                        throw new IllegalStateException("injected fault: " + method.getName() + " lost its connection");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
