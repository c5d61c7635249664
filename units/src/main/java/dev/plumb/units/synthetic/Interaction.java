package dev.plumb.units.synthetic;

import static dev.plumb.units.synthetic.LogGenerator.POLICIES;

/** One interaction's draws: scratch state that {@link TableWriter} fills and reuses for every interaction. */
final class Interaction {
  String id;
  String surface;
  int pinsWanted;
  String platform;
  long user;
  int topic;
  /** Impressions (the unit's weight). */
  int w;
  double damp;
  final byte[] status = new byte[POLICIES.size()];
  final String[] category = new String[POLICIES.size()];
  final boolean[] inText = new boolean[POLICIES.size()];
  final int[] slots = new int[32];
  final boolean[] taken = new boolean[32];
  /** Pins shown (slots used). */
  int count;
  String query;
  String response;
  int queryPolicy;
  int responsePolicy;
}
