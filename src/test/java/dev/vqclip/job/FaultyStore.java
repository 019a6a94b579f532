package dev.vqclip.job;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

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

    /** The real store whose every part fails as told; the parts' method names are unique across parts. */
    JobStore store() {
        return (JobStore) proxy(JobStore.class, real, (method, part) -> method.getReturnType().isInterface()
                ? proxy(method.getReturnType(), part, null) : part);
    }

    /** Faults in the calls of {@code target}; {@code wrap}, when given, wraps what each call returns. */
    private Object proxy(Class<?> type, Object target, BiFunction<Method, Object, Object> wrap) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (wrap == null) {
                AtomicInteger left = failuresLeft.get(method.getName());
                if (left != null && left.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
                    failed.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                    throw new IllegalStateException("injected fault: " + method.getName() + " lost its connection");
                }
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return wrap == null || result == null ? result : wrap.apply(method, result);
        });
    }
}
