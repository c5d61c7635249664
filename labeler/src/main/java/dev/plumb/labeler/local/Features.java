package dev.plumb.labeler.local;

import java.util.ArrayList;
import java.util.List;

/**
 * What the classifier reads of a text: the embedding of the whole text and of each sentence
 * window ({@link Windows}); {@code windows} is empty for short texts.
 */
record Features(float[] whole, float[][] windows) {

  /** Features of every text, embedding all wholes and windows in one batched call. */
  static List<Features> of(Embedder embedder, List<String> texts) {
    List<String> all = new ArrayList<>(texts);
    int[] start = new int[texts.size()];
    int[] count = new int[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      List<String> windows = Windows.of(texts.get(i));
      start[i] = all.size();
      count[i] = windows.size();
      all.addAll(windows);
    }
    float[][] vectors = embedder.embedAll(all);
    List<Features> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      float[][] w = new float[count[i]][];
      System.arraycopy(vectors, start[i], w, 0, count[i]);
      out.add(new Features(vectors[i], w));
    }
    return out;
  }
}
