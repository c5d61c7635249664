package dev.plumb.calibration.sampling;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToDoubleFunction;

/**
 * The {@code capacity} candidates with the smallest keys (ties: smaller id), in a max-heap so the
 * worst kept one is at the top. Keys are {@code u} (bottom-k) or {@code -size/u} (top-k priorities).
 */
final class KeyHeap implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Which key the heap orders by. */
  enum Key implements ToDoubleFunction<Candidate> {
    /** The permanent random number: SRS and stratified keep the smallest. */
    U {
      public double applyAsDouble(Candidate c) {
        return c.u;
      }
    },
    /** Minus the priority size/u: priority sampling keeps the largest priorities. */
    NEG_PRIORITY {
      public double applyAsDouble(Candidate c) {
        return -(c.size / c.u);
      }
    }
  }

  private final Key key;
  private int capacity;
  private final PriorityQueue<Candidate> heap;

  KeyHeap(Key key, int capacity) {
    this.key = key;
    this.capacity = capacity;
    Comparator<Candidate> worstFirst =
        (Comparator<Candidate> & Serializable)
            (a, b) -> BaseSketch.compare(key.applyAsDouble(b), b, key.applyAsDouble(a), a);
    this.heap = new PriorityQueue<>(Math.max(1, Math.min(capacity, 1 << 12)), worstFirst);
  }

  int size() {
    return heap.size();
  }

  /** Whether a unit with this key and id would be kept. */
  boolean accepts(double k, String id) {
    if (capacity == 0) {
      return false;
    }
    if (heap.size() < capacity) {
      return true;
    }
    Candidate worst = heap.peek();
    return BaseSketch.before(k, id, key.applyAsDouble(worst), worst);
  }

  /** Adds a candidate {@link #accepts} said yes to, dropping the worst when full. */
  void add(Candidate c) {
    heap.add(c);
    if (heap.size() > capacity) {
      heap.poll();
    }
  }

  /** Offers a candidate (used by merges). */
  void offer(Candidate c) {
    if (accepts(key.applyAsDouble(c), c.id)) {
      add(c);
    }
  }

  /** Keeps only the best {@code k}. */
  void truncate(int k) {
    capacity = Math.min(capacity, k);
    while (heap.size() > k) {
      heap.poll();
    }
  }

  /** The worst kept candidate, or null. */
  Candidate worst() {
    return heap.peek();
  }

  /** Removes and returns the worst kept candidate. */
  Candidate pollWorst() {
    return heap.poll();
  }

  List<Candidate> contents() {
    return new ArrayList<>(heap);
  }

  void mergeFrom(KeyHeap other) {
    for (Candidate c : other.heap) {
      offer(c);
    }
  }
}
