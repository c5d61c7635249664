package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sketches are shipped between Spark workers with Java serialisation: a design survives the round
 * trip equal to itself, and a sketch merged after the trip gives the sample of the whole frame.
 */
class SketchSerializationTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "type: srs\nn: 20\n",
      "type: stratified\nn: 30\npolicy: self_harm\nbins: [0, 0.3, 1]\nby: [surface]\nallocation: neyman\n",
      "type: stratified\nn: 30\nby: [surface]\n",
      "type: poisson\nn: 25\nsize: weight * score(self_harm)\n",
      "type: ppswr\nn: 25\nsize: weight\n",
      "type: priority\nn: 25\nsize: max(score(self_harm), 0.1)\nfloor: 0.1\n"})
  void should_merge_deserialized_sketches_into_the_whole_frame_sample(String yaml) throws Exception {
    SamplingDesign d = Frames.design(yaml);
    assertThat(roundTrip(d)).isEqualTo(d).hasSameHashCodeAs(d);

    List<FrameUnit> units = Frames.units(Frames.lines(600, 3));
    SampleSketch a = d.sketch(11);
    SampleSketch b = d.sketch(11);
    for (int i = 0; i < units.size(); i++) {
      (i % 2 == 0 ? a : b).offer(units.get(i));
    }
    Sample merged = roundTrip(a).merge(roundTrip(b)).finish("units.jsonl");
    Sample whole = Frames.draw(d, 11, units);

    assertThat(merged.units()).extracting(Sample.SampledUnit::id)
        .containsExactlyElementsOf(whole.units().stream().map(Sample.SampledUnit::id).toList());
    assertThat(merged.units()).extracting(u -> u.design().toJson().toString())
        .containsExactlyElementsOf(whole.units().stream().map(u -> u.design().toJson().toString()).toList());
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
