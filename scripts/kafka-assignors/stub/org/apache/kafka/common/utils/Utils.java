package org.apache.kafka.common.utils;
import java.util.*;
// Diff driver stub: only what the assignors use.
public final class Utils {
    public static <T extends Comparable<? super T>> List<T> sorted(Collection<T> collection) {
        List<T> res = new ArrayList<>(collection);
        Collections.sort(res);
        return Collections.unmodifiableList(res);
    }
    public static <T> Class<? extends T> loadClass(String klass, Class<T> base) throws ClassNotFoundException { throw new ClassNotFoundException(); }
    public static <T> T newInstance(Class<T> c) { throw new RuntimeException(); }
}
