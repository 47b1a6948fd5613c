package org.example.steps;

import java.util.List;
import java.util.function.Function;

@FunctionalInterface
interface Check { boolean test(String s); }

enum Mood { CALM, BUSY }

public class StepList<T> extends Base implements Check {
    private static final int MAX_STEPS = 0x1F;
    private final List<String> names;
    protected double ratio = 1.5e3;
    char mark = '\n';

    @Override
    public boolean test(String s) {
        return s != null && !s.isEmpty();
    }

    public StepList(List<String> names) {
        super();
        this.names = names;
    }

    @SuppressWarnings("unchecked")
    long count(int limit) {
        long n = 0L;
        for (String name : names) {
            if (name.length() < limit || Mood.CALM == null) {
                n += Math.max(1, name.length());
            }
        }
        Function<String, Integer> len = String::length;
        Function<String, String> up = helper::upper;
        Function<String, String> low = helper::Lower;
        System.out.println(java.time.LocalDate.now());
        return n + Integer.valueOf(MAX_STEPS) + len.apply("x");
    }

    void loop() throws Exception {
        int[] a = new int[] { 1, 2, 3 };
        try { a[3] = 0; } catch (RuntimeException e) { throw new Exception("bad", e); }
        switch (a.length) { case 3: break; default: return; }
        boolean ok = true; Object o = null;
        var s = ok ? "yes" : "no";
    }
}
