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
 * Embeds texts once: a content-addressed cache (SHA-256 of the text) of their {@link Features} in
 * memory, bounded and least-recently-used, in front of an optional {@link EmbeddingStore} on disk
 * (the whole text's vector under the text's key, window {@code w}'s under {@link TextKey#window}),
 * in front of the model. Misses are deduplicated, sorted longest first (so the workers finish
 * together) and embedded in small groups on a pool of {@code threads} workers, each running the
 * model single-threaded, one text per run.
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
  private final Map<TextKey, Features> memory;
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
          protected boolean removeEldestEntry(Map.Entry<TextKey, Features> eldest) {
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

  Features features(String text) {
    return featuresAll(List.of(List.of(text)))[0];
  }

  /**
   * The {@link Features} of every request — one text, or a conversation's turns read together —
   * in order; equal requests share one object. Requests not cached are deduplicated, sorted
   * longest first and run on the pool.
   */
  Features[] featuresAll(List<List<String>> texts) {
    int n = texts.size();
    requested.add(n);
    Features[] out = new Features[n];
    // key -> positions in texts still waiting for features
    Map<TextKey, List<Integer>> missing = new HashMap<>();
    Map<TextKey, List<String>> missingText = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      List<String> text = texts.get(i);
      TextKey key = key(text);
      Features f;
      synchronized (memory) {
        f = memory.get(key);
      }
      if (f != null) {
        memoryHits.increment();
        out[i] = f;
        continue;
      }
      List<Integer> slots = missing.get(key);
      if (slots != null) {
        memoryHits.increment(); // a duplicate within the request costs nothing either
        slots.add(i);
        continue;
      }
      if (store != null && (f = stored(key, text)) != null) {
        storeHits.increment();
        remember(key, f);
        out[i] = f;
        continue;
      }
      missing.put(key, new ArrayList<>(List.of(i)));
      missingText.put(key, text);
    }
    if (missing.isEmpty()) {
      return out;
    }
    List<Map.Entry<TextKey, List<String>>> todo = new ArrayList<>(missingText.entrySet());
    todo.sort(Comparator.comparingInt(e -> -length(e.getValue()))); // longest first: the pool ends evenly
    List<Future<Features[]>> futures = new ArrayList<>();
    for (int from = 0; from < todo.size(); from += BATCH) {
      List<List<String>> batch = new ArrayList<>(BATCH);
      for (int j = from; j < Math.min(todo.size(), from + BATCH); j++) {
        batch.add(todo.get(j).getValue());
      }
      futures.add(pool.submit(() -> batch.stream().map(model::features).toArray(Features[]::new)));
    }
    List<TextKey> keys = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    try {
      int j = 0;
      for (Future<Features[]> future : futures) {
        for (Features f : future.get()) {
          TextKey key = todo.get(j++).getKey();
          flatten(key, f, keys, vectors);
          remember(key, f);
          for (int slot : missing.get(key)) {
            out[slot] = f;
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
    computed.add(missing.size());
    if (store != null) {
      store.putAll(keys, vectors);
    }
    return out;
  }

  /** The cache key of a request: the text's SHA-256, or for a conversation that of its turns. */
  static TextKey key(List<String> turns) {
    return turns.size() == 1 ? TextKey.of(turns.get(0)) : TextKey.of("conversation\u0000" + String.join("\u0000", turns));
  }

  private static int length(List<String> turns) {
    return turns.stream().mapToInt(String::length).sum();
  }

  /** The store records of one request's features: the whole, its windows, then each part's. */
  private static void flatten(TextKey key, Features f, List<TextKey> keys, List<float[]> vectors) {
    keys.add(key);
    vectors.add(f.whole());
    for (int w = 0; w < f.windows().length; w++) {
      keys.add(key.window(w));
      vectors.add(f.windows()[w]);
    }
    for (int p = 0; p < f.parts().size(); p++) {
      flatten(key.part(p), f.parts().get(p), keys, vectors);
    }
  }

  /** The request's features from the disk store, or null unless every record is there. */
  private Features stored(TextKey key, List<String> turns) {
    int[] shape = MiniLm.shape(turns);
    Features f = stored(key, shape[0], List.of());
    if (f == null || turns.size() == 1) {
      return f;
    }
    List<Features> parts = new ArrayList<>();
    for (int p = 0; p < turns.size(); p++) {
      Features part = stored(key.part(p), shape[p + 1], List.of());
      if (part == null) {
        return null;
      }
      parts.add(part);
    }
    return new Features(f.whole(), f.windows(), parts);
  }

  private Features stored(TextKey key, int windowCount, List<Features> parts) {
    float[] whole = store.get(key);
    if (whole == null) {
      return null;
    }
    float[][] windows = new float[windowCount][];
    for (int w = 0; w < windowCount; w++) {
      if ((windows[w] = store.get(key.window(w))) == null) {
        return null;
      }
    }
    return new Features(whole, windows, parts);
  }

  int threads() {
    return threads;
  }

  private void remember(TextKey key, Features v) {
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
