package dev.plumb.labeler.local;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the classifier reads of a text, or of a conversation's turns read together: the embedding
 * of the whole, of each sentence window ({@link Windows}; empty for short texts) and — for a
 * conversation — of each turn ({@code parts}, each with its own windows and no parts), all from one
 * model pass ({@link MiniLm#features}).
 */
record Features(float[] whole, float[][] windows, List<Features> parts) {

  Features {
    parts = List.copyOf(parts);
  }

  Features(float[] whole, float[][] windows) {
    this(whole, windows, List.of());
  }

  /** Features of every text, in order, through the embedder's caches. */
  static List<Features> of(Embedder embedder, List<String> texts) {
    List<List<String>> requests = new ArrayList<>(texts.size());
    texts.forEach(t -> requests.add(List.of(t)));
    return Arrays.asList(embedder.featuresAll(requests));
  }
}
