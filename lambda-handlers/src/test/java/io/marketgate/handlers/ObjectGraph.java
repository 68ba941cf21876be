package io.marketgate.handlers;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A walk of everything reachable from some roots, by reflection, looking for secrets as a heap dump would show them:
 * a {@link String}, {@code char[]} or {@code byte[]} that contains one of the given values, and any
 * {@link java.security.Key} object (a token key's AES key, whatever its bytes). Fields of classes on the class path
 * (ours, Lettuce's, the AWS SDK's, Caffeine's, Jackson's, …) are read directly; JDK objects whose fields are closed to
 * reflection are read through their public API where they hold others (maps, collections, optionals, atomic and
 * weak references), and are otherwise leaves. Class, class-loader and thread objects are not followed.
 *
 * <p>A walk also names the class-path classes it met, whose static fields a later walk can add as roots: a secret
 * moved from an instance into a static cache would then still be found.
 */
final class ObjectGraph {

    /** Where a secret was seen: the path of fields from a root, and what was there. */
    record Finding(String path, String what) {
        @Override
        public String toString() {
            return path + ": " + what;
        }
    }

    /** What a walk found. */
    record Walk(List<Finding> findings, Set<Class<?>> classes, int objects) {}

    private static final int MAX_OBJECTS = 3_000_000;

    private final List<String> secrets;
    private final List<byte[]> secretBytes;
    private final Set<Object> boundaries = Collections.newSetFromMap(new IdentityHashMap<>());

    private ObjectGraph(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
        this.secretBytes = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** A walk looking for {@code secrets}. */
    static ObjectGraph lookingFor(List<String> secrets) {
        return new ObjectGraph(secrets);
    }

    /** Does not follow {@code object}: what builds a handler's dependencies is configuration, not state. */
    ObjectGraph stoppingAt(Object object) {
        boundaries.add(object);
        return this;
    }

    /** Walks from {@code root} and from the static fields of {@code staticsOf}. */
    Walk walk(Object root, Collection<Class<?>> staticsOf) {
        Map<Object, String> paths = new IdentityHashMap<>();
        Deque<Object> queue = new ArrayDeque<>();
        List<Finding> findings = new ArrayList<>();
        Set<Class<?>> classes = new LinkedHashSet<>();
        enqueue(root, "handler", paths, queue);
        for (Class<?> type : staticsOf) {
            for (Field f : declaredFields(type)) {
                if (Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                    read(f, null).ifPresent(v -> enqueue(v, type.getName() + "." + f.getName(), paths, queue));
                }
            }
        }
        int visited = 0;
        while (!queue.isEmpty()) {
            if (++visited > MAX_OBJECTS) {
                throw new IllegalStateException("the graph has more than " + MAX_OBJECTS + " objects; the walk stopped");
            }
            Object o = queue.poll();
            String path = paths.get(o);
            Class<?> type = o.getClass();
            if (o instanceof String s) {
                secretIn(s).ifPresent(secret -> findings.add(new Finding(path, "a String holding " + label(secret))));
                continue;
            }
            if (o instanceof char[] chars) {
                secretIn(new String(chars)).ifPresent(secret -> findings.add(new Finding(path, "a char[] holding " + label(secret))));
                continue;
            }
            if (o instanceof byte[] bytes) {
                for (int i = 0; i < secretBytes.size(); i++) {
                    if (contains(bytes, secretBytes.get(i))) {
                        findings.add(new Finding(path, "a byte[] holding " + label(secrets.get(i))));
                    }
                }
                continue;
            }
            if (o instanceof java.security.Key key) {
                findings.add(new Finding(path, "a key object (" + key.getAlgorithm() + ")"));
                continue;
            }
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    Object[] array = (Object[]) o;
                    for (int i = 0; i < array.length; i++) {
                        enqueue(array[i], path + "[" + i + "]", paths, queue);
                    }
                }
                continue;
            }
            if (o instanceof Class<?> || o instanceof ClassLoader || o instanceof Thread || o instanceof ThreadGroup
                    || o instanceof Module) {
                continue;
            }
            if (!type.getModule().isNamed() || type.isSynthetic() || type.isHidden()) {
                classes.add(type);
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : declaredFields(c)) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    Optional<Object> value = read(f, o);
                    if (value.isPresent()) {
                        enqueue(value.get(), path + "." + f.getName(), paths, queue);
                    }
                }
            }
            // what its public API says it holds: the way into a JDK object closed to reflection
            throughApi(o).forEach(v -> enqueue(v, path + "/" + type.getSimpleName(), paths, queue));
        }
        return new Walk(findings, classes, visited);
    }

    private void enqueue(Object value, String path, Map<Object, String> paths, Deque<Object> queue) {
        if (value == null || boundaries.contains(value) || paths.containsKey(value)) {
            return;
        }
        paths.put(value, path);
        queue.add(value);
    }

    private static List<Object> throughApi(Object o) {
        List<Object> held = new ArrayList<>();
        try {
            if (o instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    held.add(e.getKey());
                    held.add(e.getValue());
                }
            } else if (o instanceof Collection<?> collection) {
                held.addAll(collection);
            } else if (o instanceof Map.Entry<?, ?> e) {
                held.add(e.getKey());
                held.add(e.getValue());
            } else if (o instanceof Optional<?> optional) {
                optional.ifPresent(held::add);
            } else if (o instanceof AtomicReference<?> ref) {
                held.add(ref.get());
            } else if (o instanceof java.lang.ref.Reference<?> ref) {
                held.add(ref.get());
            }
        } catch (RuntimeException e) {
            // a collection that refuses iteration here (concurrently changed, or a view that needs a lock): a leaf
        }
        return held;
    }

    private static Field[] declaredFields(Class<?> type) {
        try {
            return type.getDeclaredFields();
        } catch (LinkageError e) {
            return new Field[0];
        }
    }

    private static Optional<Object> read(Field f, Object target) {
        try {
            f.setAccessible(true);
            return Optional.ofNullable(f.get(target));
        } catch (InaccessibleObjectException | IllegalAccessException | SecurityException e) {
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    private Optional<String> secretIn(String text) {
        return secrets.stream().filter(text::contains).findFirst();
    }

    /** A secret named by its first characters only, so that a failure's message does not print it whole. */
    private static String label(String secret) {
        return "the secret starting " + secret.substring(0, Math.min(6, secret.length())) + "…";
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
