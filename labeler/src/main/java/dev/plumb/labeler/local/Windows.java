package dev.plumb.labeler.local;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a long text into short windows of whole sentences, so that one violating sentence in a
 * long post is not averaged away in the text's mean embedding (a text's decision value also looks
 * at its worst window; see {@link PolicyModel#decision(double[], double, float[], float[][])}). A window is a range of
 * the text; its embedding is pooled from the token states of the model's pass over the whole text
 * ({@link MiniLm#features}), so windows cost no model run of their own.
 */
final class Windows {
  /** Texts up to this many characters are read whole only. */
  static final int MIN_TEXT = 300;
  /** Target window size in characters (about 40–50 tokens). */
  static final int SIZE = 200;
  /** At most this many windows per text (about 6,000 characters). */
  static final int MAX = 32;

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?\\n])\\s+");
  private static final Pattern WORD = Pattern.compile("\\S+");

  private Windows() {}

  /** The windows of {@code text} in order, as text; empty when the text is short enough to read whole. */
  static List<String> of(String text) {
    return spans(text).stream().map(s -> text.substring(s[0], s[1])).toList();
  }

  /**
   * The windows of {@code text} as character ranges {@code [start, end)}, in order: consecutive
   * sentences grouped up to {@value #SIZE} characters (a longer sentence is cut at spaces), at most
   * {@value #MAX}; empty when the text has at most {@value #MIN_TEXT} characters.
   */
  static List<int[]> spans(String text) {
    if (text.length() <= MIN_TEXT) {
      return List.of();
    }
    List<int[]> pieces = new ArrayList<>();
    int start = 0;
    Matcher m = SENTENCE_END.matcher(text);
    while (m.find()) {
      sentence(text, start, m.start(), pieces);
      start = m.end();
    }
    sentence(text, start, text.length(), pieces);
    List<int[]> windows = new ArrayList<>();
    int[] current = null;
    for (int[] piece : pieces) {
      if (current != null && piece[1] - current[0] > SIZE) {
        windows.add(current);
        current = null;
        if (windows.size() == MAX) {
          return windows;
        }
      }
      current = current == null ? piece.clone() : new int[] {current[0], piece[1]};
    }
    if (current != null && windows.size() < MAX) {
      windows.add(current);
    }
    return windows;
  }

  /** Adds the sentence {@code [from, to)} as one piece, or cut at spaces when it is a run-on. */
  private static void sentence(String text, int from, int to, List<int[]> pieces) {
    while (from < to && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    if (from == to) {
      return;
    }
    if (to - from <= MIN_TEXT) {
      pieces.add(new int[] {from, to});
      return;
    }
    Matcher w = WORD.matcher(text).region(from, to);
    int[] current = null;
    while (w.find()) {
      int ws = w.start();
      int we = Math.min(w.end(), ws + SIZE); // a giant "word" is cut
      if (current != null && we - current[0] > SIZE) {
        pieces.add(current);
        current = null;
      }
      current = current == null ? new int[] {ws, we} : new int[] {current[0], we};
      if (we < w.end()) {
        pieces.add(current);
        current = null;
      }
    }
    if (current != null) {
      pieces.add(current);
    }
  }
}
