package dev.plumb.calibration.sampling;

import java.io.Serializable;
import java.util.Arrays;

/** The k largest doubles seen, in a primitive min-heap. */
final class DoubleTopK implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] heap;
  private int size;

  DoubleTopK(int k) {
    this.heap = new double[k];
  }

  void add(double x) {
    if (size < heap.length) {
      int i = size++;
      heap[i] = x;
      while (i > 0) {
        int p = (i - 1) >>> 1;
        if (heap[p] <= heap[i]) {
          break;
        }
        swap(heap, p, i);
        i = p;
      }
    } else if (heap.length > 0 && x > heap[0]) {
      heap[0] = x;
      int i = 0;
      while (true) {
        int l = 2 * i + 1;
        if (l >= size) {
          break;
        }
        int m = l + 1 < size && heap[l + 1] < heap[l] ? l + 1 : l;
        if (heap[i] <= heap[m]) {
          break;
        }
        swap(heap, m, i);
        i = m;
      }
    }
  }

  void addAll(DoubleTopK other) {
    for (int i = 0; i < other.size; i++) {
      add(other.heap[i]);
    }
  }

  /** The kept values, largest first. */
  double[] descending() {
    double[] out = Arrays.copyOf(heap, size);
    Arrays.sort(out);
    for (int i = 0, j = out.length - 1; i < j; i++, j--) {
      swap(out, i, j);
    }
    return out;
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
