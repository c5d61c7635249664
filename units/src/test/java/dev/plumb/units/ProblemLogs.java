package dev.plumb.units;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small logging tables with every data problem of docs/units.md once, and the units.yaml that reads
 * them. UnitBuilderTest checks the rule that resolves each; the spark module's SparkUnitsTest builds
 * the same units on Spark (it gets this class from the units test-jar).
 */
public final class ProblemLogs {
  private ProblemLogs() {}

  public static final String CONFIG = """
      tables:
        interactions:
          path: logs/interactions-*.csv
          columns: {id: id, user: user, day: day, surface: surface, query: query, response: response}
        components:
          path: logs/components.csv
          columns: {interaction: interaction, position: pos, pin: pin}
        pins:
          path: logs/pins.csv
          columns: {id: pin_id, title: title, description: description, image: image}
        impressions:
          path: logs/impressions.csv
          columns: {entity: entity, day: day, count: n}
        risk_scores:
          path: logs/scores.jsonl
          columns: {entity: entity, policy: policy, score: score}
      units:
        attributes: {surface: surface, day: day, lang: lang}
        user: hash
        user_salt: s3cret
        scores: {aggregate: max, missing: mean}
      """;

  /**
   * Writes the tables under {@code dir/logs} and their units.yaml ({@link #CONFIG}) as
   * {@code dir/units.yaml}, and returns the latter.
   */
  public static Path write(Path dir) throws IOException {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Files.writeString(logs.resolve("interactions-1.csv"), """
        id,user,day,surface,query,response,lang
        a1,alice,2026-11-25,search,"  cozy nook ",Pins for you,en
        a2,bob,2026-11-25,home_feed,,,en
        ,carol,2026-11-25,search,q,r,en
        a3,dave,2026-11-25,related_pins,,,en
        """);
    Files.writeString(logs.resolve("interactions-2.csv"), """
        id,user,day,surface,query,response,lang
        a2,bob,2026-11-25,home_feed,zzz,,en
        a4,erin,2026-11-26,search,hello,,fr
        """);
    Files.writeString(logs.resolve("components.csv"), """
        interaction,pos,pin
        a1,2,p2
        a1,1,p1
        a1,1,p3
        a1,3,p1
        a2,1,p2
        a3,1,p404
        zz,1,p1
        a4,x,p1
        """);
    Files.writeString(logs.resolve("pins.csv"), """
        pin_id,title,description,image
        p1,Title one,Desc one,https://img.example.com/1.jpg
        p2,,  ,
        p2,Zed,,
        p3,Three,,
        p5,,,pins/5.png
        ,No id,,
        """);
    Files.writeString(logs.resolve("impressions.csv"), """
        entity,day,n
        a1,2026-11-25,10
        a1,2026-11-26,5
        a1,2026-11-26,7
        a2,2026-11-25,3
        a3,2026-11-25,-1
        zz,2026-11-25,4
        """);
    Files.writeString(logs.resolve("scores.jsonl"), """
        {"entity":"a1","policy":"self_harm","score":0.2}
        {"entity":"p1","policy":"self_harm","score":0.9}
        {"entity":"p2","policy":"self_harm","score":0.4}
        {"entity":"p2","policy":"self_harm","score":0.5}
        {"entity":"a2","policy":"harassment","score":1.5}
        {"entity":"p1","policy":"harassment","score":0.3}
        """);
    Path config = dir.resolve("units.yaml");
    Files.writeString(config, CONFIG);
    return config;
  }
}
