package dev.supaneon.neonlocal.controlplane;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

/** Identifiers in Neon's style: {@code br-aged-salad-637688}, {@code ep-soft-violet-752733}. */
final class ResourceIds {

  private static final List<String> ADJECTIVES =
      List.of(
          "aged",
          "bold",
          "calm",
          "cool",
          "curly",
          "damp",
          "dark",
          "dry",
          "empty",
          "fancy",
          "fragrant",
          "frosty",
          "gentle",
          "green",
          "hidden",
          "holy",
          "icy",
          "jolly",
          "late",
          "lingering",
          "little",
          "lively",
          "long",
          "lucky",
          "misty",
          "morning",
          "muddy",
          "nameless",
          "noisy",
          "odd",
          "old",
          "orange",
          "patient",
          "plain",
          "polished",
          "proud",
          "purple",
          "quiet",
          "rapid",
          "raspy",
          "red",
          "restless",
          "rough",
          "round",
          "royal",
          "shiny",
          "shy",
          "silent",
          "small",
          "snowy",
          "soft",
          "solitary",
          "sparkling",
          "spring",
          "square",
          "steep",
          "still",
          "summer",
          "super",
          "sweet",
          "tiny",
          "twilight",
          "wandering",
          "weathered",
          "white",
          "wild",
          "winter",
          "wispy",
          "withered",
          "yellow",
          "young");
  private static final List<String> NOUNS =
      List.of(
          "art",
          "band",
          "bar",
          "base",
          "bird",
          "block",
          "boat",
          "bonus",
          "bread",
          "breeze",
          "brook",
          "bush",
          "butterfly",
          "cake",
          "cell",
          "cherry",
          "cloud",
          "credit",
          "darkness",
          "dawn",
          "dew",
          "disk",
          "dream",
          "dust",
          "feather",
          "field",
          "fire",
          "firefly",
          "flower",
          "fog",
          "forest",
          "frog",
          "frost",
          "glade",
          "glitter",
          "grass",
          "hall",
          "hat",
          "haze",
          "heart",
          "hill",
          "king",
          "lab",
          "lake",
          "leaf",
          "limit",
          "math",
          "meadow",
          "mode",
          "moon",
          "morning",
          "mountain",
          "mouse",
          "mud",
          "night",
          "paper",
          "pine",
          "poetry",
          "pond",
          "queen",
          "rain",
          "recipe",
          "resonance",
          "rice",
          "river",
          "salad",
          "scene",
          "sea",
          "shadow",
          "shape",
          "silence",
          "sky",
          "smoke",
          "snow",
          "snowflake",
          "sound",
          "star",
          "sun",
          "sunset",
          "surf",
          "term",
          "thunder",
          "tooth",
          "tree",
          "truth",
          "union",
          "unit",
          "violet",
          "voice",
          "water",
          "waterfall",
          "wave",
          "wildflower",
          "wind",
          "wood");

  private final SecureRandom random = new SecureRandom();

  String branch() {
    return "br-" + words();
  }

  String endpoint() {
    return "ep-" + words();
  }

  String project() {
    return words();
  }

  String password() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    StringBuilder hex = new StringBuilder("npg_");
    for (byte b : bytes) {
      hex.append(String.format(Locale.ROOT, "%02x", b));
    }
    return hex.toString();
  }

  private String words() {
    return ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
        + "-"
        + NOUNS.get(random.nextInt(NOUNS.size()))
        + "-"
        + String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
  }
}
