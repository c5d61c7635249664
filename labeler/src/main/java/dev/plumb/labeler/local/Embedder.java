package dev.plumb.labeler.local;

import dev.plumb.core.PlumbException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Embeds texts once: a content-addressed cache (SHA-256 of the text) in memory, bounded and
 * least-recently-used, in front of an optional {@link EmbeddingStore} on disk, in front of the
 * model. Misses are deduplicated, sorted by length (so the workers' tasks take similar time) and
 * embedded in small groups on a pool of {@code threads} workers, each running the model
 * single-threaded, one text per run.
 *
 * <p>Thread-safe. Pool threads are daemons; {@link #close()} releases them and the store.
 */
final class Embedder implements AutoCloseable {
  /** Texts per pool task (each is still one model run): amortises the hand-off between threads. */
  private static final int BATCH = 8;

  private final MiniLm model;
  private final EmbeddingStore store;
  private final ExecutorService pool;
  private final int threads;
  private final Map<TextKey, float[]> memory;
  private final LongAdder requested = new LongAdder();
  private final LongAdder memoryHits = new LongAdder();
  private final LongAdder storeHits = new LongAdder();
  private final LongAdder computed = new LongAdder();

  /** What the cache saved: texts asked for, found in memory, found on disk, and run through the model. */
  record Stats(long requested, long memoryHits, long storeHits, long computed) {}

  Embedder(MiniLm model, EmbeddingStore store, int threads, int memoryEntries) {
    if (threads < 1 || memoryEntries < 0) {
      throw new IllegalArgumentException("threads must be >= 1 and memoryEntries >= 0");
    }
    this.model = model;
    this.store = store;
    this.threads = threads;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "plumb-embed-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.memory =
        new LinkedHashMap<>(1024, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<TextKey, float[]> eldest) {
            return size() > memoryEntries;
          }
        };
  }

  String modelId() {
    return model.id();
  }

  Stats stats() {
    return new Stats(requested.sum(), memoryHits.sum(), storeHits.sum(), computed.sum());
  }

  float[] embed(String text) {
    return embedAll(List.of(text))[0];
  }

  /** Unit-length embeddings, in the order of {@code texts}; equal texts share one array. */
  float[][] embedAll(List<String> texts) {
    int n = texts.size();
    requested.add(n);
    float[][] out = new float[n][];
    // key -> positions in texts still waiting for a vector
    Map<TextKey, List<Integer>> missing = new HashMap<>();
    Map<TextKey, String> missingText = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String text = texts.get(i);
      TextKey key = TextKey.of(text);
      float[] v;
      synchronized (memory) {
        v = memory.get(key);
      }
      if (v != null) {
        memoryHits.increment();
        out[i] = v;
        continue;
      }
      List<Integer> slots = missing.get(key);
      if (slots != null) {
        memoryHits.increment(); // a duplicate within the request costs nothing either
        slots.add(i);
        continue;
      }
      if (store != null && (v = store.get(key)) != null) {
        storeHits.increment();
        remember(key, v);
        out[i] = v;
        continue;
      }
      missing.put(key, new ArrayList<>(List.of(i)));
      missingText.put(key, text);
    }
    if (missing.isEmpty()) {
      return out;
    }
    List<Map.Entry<TextKey, String>> todo = new ArrayList<>(missingText.entrySet());
    todo.sort(Comparator.comparingInt(e -> e.getValue().length()));
    List<Future<float[][]>> futures = new ArrayList<>();
    for (int from = 0; from < todo.size(); from += BATCH) {
      List<String> batch = new ArrayList<>(BATCH);
      for (int j = from; j < Math.min(todo.size(), from + BATCH); j++) {
        batch.add(todo.get(j).getValue());
      }
      futures.add(pool.submit(() -> batch.stream().map(model::embed).toArray(float[][]::new)));
    }
    List<TextKey> keys = new ArrayList<>(todo.size());
    List<float[]> vectors = new ArrayList<>(todo.size());
    try {
      int j = 0;
      for (Future<float[][]> future : futures) {
        for (float[] v : future.get()) {
          TextKey key = todo.get(j++).getKey();
          keys.add(key);
          vectors.add(v);
          remember(key, v);
          for (int slot : missing.get(key)) {
            out[slot] = v;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(f -> f.cancel(true));
      throw new PlumbException("interrupted while embedding", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new PlumbException("embedding failed: " + cause, cause);
    }
    computed.add(keys.size());
    if (store != null) {
      store.putAll(keys, vectors);
    }
    return out;
  }

  int threads() {
    return threads;
  }

  private void remember(TextKey key, float[] v) {
    synchronized (memory) {
      memory.put(key, v);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    if (store != null) {
      store.close();
    }
  }
}
