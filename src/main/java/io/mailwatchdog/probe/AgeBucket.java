package io.mailwatchdog.probe;

/** One qshape-style range of due age, [fromSeconds, toSeconds), toSeconds -1 for "and older". */
public record AgeBucket(String label, long fromSeconds, long toSeconds, int count) {
}
