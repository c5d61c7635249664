package dev.plumb.labeler.prompt;

import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.util.List;

/**
 * How a unit's content is written into a prompt: as JSON whose strings are escaped so that the
 * encoded text can never contain {@code <} or {@code >}, a raw control character, a line or
 * paragraph separator, a bidirectional override or another invisible formatting character, nor a
 * lone surrogate. Decoding the JSON (any conforming parser) gives back every string exactly,
 * including component ids.
 *
 * <p>Why this is enough to keep unit content data (docs/prompts.md): the prompt's delimiters start
 * with {@code <}, which the encoding never emits, so no unit can close the data block or open
 * another; a {@code "} or {@code \} in content is escaped, so no unit can end its string or add a
 * field; and Mustache never re-parses a value, so {@code {{...}}} stays text. Changing anything here
 * changes what the model sees: bump {@link #FORMAT}, which is part of every bundle's fingerprint.
 */
public final class UnitJson {
  /** The version of this encoding, recorded in bundles. */
  static final String FORMAT = "plumb.unit-json/1";

  private UnitJson() {}

  /** What the {@code image} field of a component says, or {@code null} for no field. */
  @FunctionalInterface
  interface ImageNote {
    String of(Component component);
  }

  /**
   * The unit's components as a JSON array, one component per line, in display order. Only what a
   * rater sees is included: {@code id}, {@code kind}, {@code text} and the image note. The unit id,
   * attributes and scores are left out on purpose: they are sampling metadata that could bias a
   * label (a risk score, a stratum) and carry nothing a person saw.
   */
  static String encode(List<Component> components, ImageNote images) {
    StringBuilder sb = new StringBuilder(64 + components.stream().mapToInt(c -> c.text().length() + 48).sum());
    sb.append('[');
    for (int i = 0; i < components.size(); i++) {
      Component c = components.get(i);
      sb.append(i == 0 ? "\n  " : ",\n  ");
      sb.append("{\"id\": ");
      quote(c.id(), sb);
      sb.append(", \"kind\": ");
      quote(c.kind(), sb);
      sb.append(", \"text\": ");
      quote(c.text(), sb);
      String image = images.of(c);
      if (image != null) {
        sb.append(", \"image\": ");
        quote(image, sb);
      }
      sb.append('}');
    }
    return sb.append("\n]").toString();
  }

  /**
   * The unit as the text-only prompts of safety-model profiles carry it (docs/labeler.md, "Model
   * profiles"): the same encoding, with {@code "image": "omitted"} on components that have an image.
   */
  public static String textOnly(Unit unit) {
    return encode(unit, c -> c.image() == null ? null : "omitted");
  }

  static String encode(Unit unit, ImageNote images) {
    return encode(unit.components(), images);
  }

  /** {@code text} as a JSON string literal under this encoding's escaping rules. */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 2);
    quote(text, sb);
    return sb.toString();
  }

  static void quote(String s, StringBuilder sb) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        char low = s.charAt(i + 1);
        int cp = Character.toCodePoint(ch, low);
        if (isHidden(cp)) {
          escape(ch, sb);
          escape(low, sb);
        } else {
          sb.append(ch).append(low);
        }
        i++;
        continue;
      }
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (Character.isSurrogate(ch) || isHidden(ch)) {
            escape(ch, sb);
          } else {
            sb.append(ch);
          }
        }
      }
    }
    sb.append('"');
  }

  /**
   * Code points written as {@code \}{@code uXXXX}: the delimiter characters, controls, and characters
   * that are invisible or reorder text on screen (so hidden text is visible as an escape, to the
   * model and to a person reading a rendered prompt).
   */
  static boolean isHidden(int cp) {
    return cp < 0x20
        || cp == '<'
        || cp == '>'
        || (cp >= 0x7F && cp <= 0x9F) // DEL and C1 controls (U+0085 is a line break)
        || cp == 0x00AD // soft hyphen
        || cp == 0x061C // Arabic letter mark
        || cp == 0x180E // Mongolian vowel separator
        || cp == 0x200B // zero width space (U+200C/U+200D stay: scripts and emoji need them)
        || cp == 0x200E
        || cp == 0x200F // left-to-right and right-to-left marks
        || (cp >= 0x2028 && cp <= 0x202E) // line/paragraph separators, bidi embeddings and overrides
        || (cp >= 0x2060 && cp <= 0x2064) // word joiner, invisible operators
        || (cp >= 0x2066 && cp <= 0x206F) // bidi isolates, deprecated format characters
        || cp == 0xFEFF // zero width no-break space / byte-order mark
        || (cp >= 0xFFF9 && cp <= 0xFFFB) // interlinear annotations
        || cp == 0xFFFE
        || cp == 0xFFFF
        || (cp >= 0xE0000 && cp <= 0xE007F); // tag characters ("ASCII smuggling")
  }

  private static void escape(char ch, StringBuilder sb) {
    sb.append("\\u");
    String hex = Integer.toHexString(ch);
    for (int k = hex.length(); k < 4; k++) {
      sb.append('0');
    }
    sb.append(hex);
  }
}
