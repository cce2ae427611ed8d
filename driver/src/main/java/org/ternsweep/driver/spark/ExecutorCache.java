package org.ternsweep.driver.spark;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.CellExecutor;

/**
 * One {@link CellExecutor} per class name per JVM. This is the project's documented exception to
 * "no static mutable state": an executor holds per-JVM resources (the dataset, float models), and
 * Spark runs many tasks in one executor JVM, so the instance must outlive a task. The map only ever
 * grows by class name, and implementations are thread-safe by contract.
 */
public final class ExecutorCache {
    private static final ConcurrentMap<String, CellExecutor> INSTANCES = new ConcurrentHashMap<>();

    private ExecutorCache() {
    }

    /** The shared instance of {@code className}, created on first use with its public no-arg constructor. */
    public static CellExecutor get(String className) {
        return INSTANCES.computeIfAbsent(className, ExecutorCache::create);
    }

    /**
     * Checks on the driver, before anything runs, that {@code className} names a loadable
     * {@link CellExecutor} with a public no-arg constructor.
     *
     * @throws BadInputException saying what is wrong and what to do
     */
    public static void check(String className) {
        Class<?> c;
        try {
            c = Class.forName(className);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new BadInputException("cell executor class " + className + " cannot be loaded ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); build the project with the"
                    + " executors module (`mvn -pl driver -am package`) or pass --executor-class", e);
        }
        if (!CellExecutor.class.isAssignableFrom(c)) {
            throw new BadInputException("class " + className + " does not implement "
                    + CellExecutor.class.getName() + "; pass a cell executor with --executor-class");
        }
        try {
            c.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new BadInputException("cell executor " + className
                    + " needs a public no-arg constructor: Spark tasks create it by class name", e);
        }
    }

    private static CellExecutor create(String className) {
        try {
            return (CellExecutor) Class.forName(className).getConstructor().newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot create cell executor " + className + " in this JVM ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); is the application jar on the"
                    + " executors' classpath?", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructor of cell executor " + className + " failed: "
                    + e.getCause(), e.getCause());
        }
    }
}
